-- Data-quality checks of consent silver (run-scoped table consent_silver; docs/quality-gates.md): one row per
-- check, (check_name, observed, total). E.164 here is the phone rule's output: +1, then a NANP number whose
-- area code and exchange start with 2-9.
WITH silver AS (
  SELECT
    count(*) AS silver_rows,
    count(CASE WHEN NOT regexp_like(coalesce(account_number, ''), '^[0-9]{16}$') THEN 1 END) AS account_number_invalid,
    count(CASE WHEN NOT regexp_like(coalesce(phone_number, ''), '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$') THEN 1 END) AS phone_number_not_e164
  FROM consent_silver
),
duplicates AS (
  SELECT coalesce(sum(copies - 1), 0) AS extra_rows
  FROM (SELECT count(*) AS copies FROM consent_silver GROUP BY account_number, phone_number HAVING count(*) > 1) d
)
SELECT 'rows' AS check_name, silver_rows AS observed, CAST(NULL AS BIGINT) AS total FROM silver
UNION ALL
SELECT 'key_unique', CAST(extra_rows AS BIGINT), CAST(NULL AS BIGINT) FROM duplicates
UNION ALL
SELECT 'account_number_invalid', account_number_invalid, silver_rows FROM silver
UNION ALL
SELECT 'phone_number_not_e164', phone_number_not_e164, silver_rows FROM silver
