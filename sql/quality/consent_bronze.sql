-- Data-quality checks of consent bronze (run-scoped table consent_bronze; docs/quality-gates.md): one row per
-- check, (check_name, observed, total). Bronze holds the exports read by this run (only the new ones
-- when the state is carried); the size of the snapshot is judged in silver, over the carried state.
WITH bronze AS (
  SELECT
    count(*) AS bronze_rows,
    count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected,
    count(CASE WHEN reject_reason IS NOT NULL AND source_file IS NULL THEN 1 END) AS rejects_without_source,
    count(CASE WHEN reject_reason IS NULL AND (account_key IS NULL OR phone_key IS NULL OR event_date IS NULL OR record_key IS NULL) THEN 1 END)
      AS valid_without_key
  FROM consent_bronze
)
SELECT 'reject_rate' AS check_name, rejected AS observed, bronze_rows AS total FROM bronze
UNION ALL
SELECT 'rejects_without_source', rejects_without_source, CAST(NULL AS BIGINT) FROM bronze
UNION ALL
SELECT 'valid_without_key', valid_without_key, CAST(NULL AS BIGINT) FROM bronze
