-- Data-quality checks of consent silver (run-scoped table consent_silver; docs/quality-gates.md): one row per
-- check, (check_name, observed, total). E.164 here is the phone rule's output: +1, then a NANP number whose
-- area code and exchange start with 2-9.
WITH silver AS (
  SELECT
    count(*) AS silver_rows,
    -- A truncated or partial snapshot shows here as a drop: the phones not hard-deleted that snapshots list.
    count(CASE WHEN last_snapshot_date IS NOT NULL AND coalesce(delete_type, '') <> 'hard_delete' THEN 1 END) AS phones_in_newest_snapshot,
    count(CASE WHEN NOT regexp_like(coalesce(account_number, ''), '^[0-9]{16}$') THEN 1 END) AS account_number_invalid,
    count(CASE WHEN NOT regexp_like(coalesce(phone_number, ''), '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$') THEN 1 END) AS phone_number_not_e164
  FROM consent_silver
)
SELECT 'rows' AS check_name, silver_rows AS observed, CAST(NULL AS BIGINT) AS total FROM silver
UNION ALL
SELECT 'phones_in_newest_snapshot', phones_in_newest_snapshot, CAST(NULL AS BIGINT) FROM silver
UNION ALL
SELECT 'account_number_invalid', account_number_invalid, silver_rows FROM silver
UNION ALL
SELECT 'phone_number_not_e164', phone_number_not_e164, silver_rows FROM silver
