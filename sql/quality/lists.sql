-- Data-quality checks of the §7 tables of one attempt, before the day is published (the partition load_date,
-- attempt of the *_attempts tables; run-scoped state_population from the census
-- reference; docs/quality-gates.md): one row per check, (check_name, observed, total).
WITH lists AS (
  SELECT *
  FROM rpt_outbound_lists_attempts
  WHERE load_date = {{load_date}} AND attempt = {{attempt}}
),
contacts AS (
  SELECT *
  FROM rpt_outbound_list_contacts_attempts
  WHERE load_date = {{load_date}} AND attempt = {{attempt}}
),
list_measures AS (
  SELECT
    count(*) AS list_rows,
    count(CASE WHEN NOT regexp_like(coalesce(l.account_number, ''), '^[0-9]{16}$') THEN 1 END) AS account_number_invalid,
    count(CASE WHEN p.state IS NULL THEN 1 END) AS state_unknown,
    count(CASE WHEN l.loan_tape_asofdate IS NULL THEN 1 END) AS asofdate_missing
  FROM lists l
  LEFT JOIN state_population p ON p.state = l.state
),
list_duplicates AS (
  SELECT coalesce(sum(copies - 1), 0) AS extra_rows
  FROM (SELECT count(*) AS copies FROM lists GROUP BY set_name, list_name, payoffuid HAVING count(*) > 1) d
),
contact_measures AS (
  SELECT
    count(*) AS contact_rows,
    count(CASE WHEN contact_type NOT IN ('email', 'address') THEN 1 END) AS phones,
    count(CASE WHEN contact_type NOT IN ('email', 'address')
      AND NOT regexp_like(coalesce(contact_value, ''), '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$') THEN 1 END) AS phone_not_e164,
    count(CASE WHEN contact_type = 'email' THEN 1 END) AS emails,
    count(CASE WHEN contact_type = 'email'
      AND NOT regexp_like(coalesce(contact_value, ''), '^[^@\s]+@[^@\s]+\.[^@\s.]+$') THEN 1 END) AS email_malformed,
    count(CASE WHEN contact_type NOT IN ('email', 'address')
      AND (coalesce(timezone, '') = '' OR window_start_utc IS NULL OR window_end_utc IS NULL OR window_end_utc <= window_start_utc) THEN 1 END)
      AS window_invalid
  FROM contacts
),
contact_duplicates AS (
  SELECT coalesce(sum(copies - 1), 0) AS extra_rows
  FROM (SELECT count(*) AS copies FROM contacts GROUP BY set_name, list_name, payoffuid, contact_value HAVING count(*) > 1) d
),
suppressions AS (
  SELECT count(*) AS suppression_rows
  FROM rpt_outbound_lists_suppression_attempts
  WHERE load_date = {{load_date}} AND attempt = {{attempt}}
)
SELECT 'lists_rows' AS check_name, list_rows AS observed, CAST(NULL AS BIGINT) AS total FROM list_measures
UNION ALL
SELECT 'lists_key_unique', CAST(extra_rows AS BIGINT), CAST(NULL AS BIGINT) FROM list_duplicates
UNION ALL
SELECT 'lists_account_number_invalid', account_number_invalid, list_rows FROM list_measures
UNION ALL
SELECT 'lists_state_unknown', state_unknown, list_rows FROM list_measures
UNION ALL
SELECT 'lists_loan_tape_asofdate_missing', asofdate_missing, list_rows FROM list_measures
UNION ALL
SELECT 'contacts_rows', contact_rows, CAST(NULL AS BIGINT) FROM contact_measures
UNION ALL
SELECT 'contacts_key_unique', CAST(extra_rows AS BIGINT), CAST(NULL AS BIGINT) FROM contact_duplicates
UNION ALL
SELECT 'contacts_phone_not_e164', phone_not_e164, phones FROM contact_measures
UNION ALL
SELECT 'contacts_email_malformed', email_malformed, emails FROM contact_measures
UNION ALL
SELECT 'contacts_window_invalid', window_invalid, phones FROM contact_measures
UNION ALL
SELECT 'suppressions_rows', suppression_rows, CAST(NULL AS BIGINT) FROM suppressions
