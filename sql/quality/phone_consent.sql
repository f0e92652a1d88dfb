-- Data-quality checks of gold phone_consent, partition as_of_date = load date (docs/quality-gates.md): one row
-- per check, (check_name, observed, total).
WITH gold AS (
  SELECT *
  FROM phone_consent
  WHERE as_of_date = {{load_date}}
),
measured AS (
  SELECT
    count(*) AS gold_rows,
    count(CASE WHEN NOT regexp_like(coalesce(account_number, ''), '^[0-9]{16}$') THEN 1 END) AS account_number_invalid,
    count(CASE WHEN NOT regexp_like(coalesce(phone_number, ''), '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$') THEN 1 END) AS phone_number_not_e164,
    count(CASE WHEN coalesce(phone_source, '') NOT IN ('CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER') THEN 1 END) AS phone_source_invalid,
    count(CASE
      WHEN is_deleted IS NULL THEN 1
      WHEN is_deleted AND (coalesce(delete_type, '') NOT IN ('hard_delete', 'soft_delete') OR deleted_at IS NULL) THEN 1
      WHEN NOT is_deleted AND (delete_type IS NOT NULL OR deleted_at IS NOT NULL) THEN 1
    END) AS delete_inconsistent
  FROM gold
)
SELECT 'rows' AS check_name, gold_rows AS observed, CAST(NULL AS BIGINT) AS total FROM measured
UNION ALL
SELECT 'account_number_invalid', account_number_invalid, gold_rows FROM measured
UNION ALL
SELECT 'phone_number_not_e164', phone_number_not_e164, gold_rows FROM measured
UNION ALL
SELECT 'phone_source_invalid', phone_source_invalid, gold_rows FROM measured
UNION ALL
SELECT 'delete_inconsistent', delete_inconsistent, CAST(NULL AS BIGINT) FROM measured
