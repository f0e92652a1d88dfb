-- Data-quality checks of consent bronze (run-scoped table consent_bronze; docs/quality-gates.md): one row per
-- check, (check_name, observed, total). The day's volume is the rows of files dated on the load date (bronze
-- re-reads every earlier file too, so its whole count only grows).
WITH bronze AS (
  SELECT
    count(*) AS bronze_rows,
    count(CASE WHEN file_date = {{load_date}} THEN 1 END) AS rows_of_the_day,
    count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected,
    count(CASE WHEN reject_reason IS NOT NULL AND source_file IS NULL THEN 1 END) AS rejects_without_source,
    count(CASE WHEN reject_reason IS NULL AND (account_number IS NULL OR phone_number IS NULL OR event_date IS NULL) THEN 1 END)
      AS valid_without_key
  FROM consent_bronze
)
SELECT 'rows_of_the_day' AS check_name, rows_of_the_day AS observed, CAST(NULL AS BIGINT) AS total FROM bronze
UNION ALL
SELECT 'reject_rate', rejected, bronze_rows FROM bronze
UNION ALL
SELECT 'rejects_without_source', rejects_without_source, CAST(NULL AS BIGINT) FROM bronze
UNION ALL
SELECT 'valid_without_key', valid_without_key, CAST(NULL AS BIGINT) FROM bronze
