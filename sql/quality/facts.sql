-- Data-quality checks of the customer facts (the run-scoped facts_* tables the shard files are written from;
-- docs/quality-gates.md): one row per check, (check_name, observed, total). Usable contacts are those without
-- a reject_reason (facts_contacts_shards.sql). Each feed's set-aside rows are judged against what it delivered:
-- duplicates (rows of one loan delivered again) are counted before facts_loans keeps one row per customer
-- (tape_rows - loan_count), never after.
WITH customers AS (
  SELECT
    count(*) AS customer_rows,
    count(CASE WHEN NOT regexp_like(coalesce(state, ''), '^[A-Z]{2}$') THEN 1 END) AS state_invalid,
    count(CASE WHEN NOT regexp_like(coalesce(zip, ''), '^[0-9]{5}(-[0-9]{4})?$') THEN 1 END) AS zip_invalid,
    count(CASE WHEN loan_tape_asofdate IS NULL THEN 1 END) AS asofdate_invalid,
    count(CASE WHEN days_past_due IS NULL THEN 1 END) AS days_past_due_missing
  FROM facts_loans
),
tape AS (
  SELECT coalesce(sum(tape_rows), 0) AS tape_rows, coalesce(sum(tape_rows - loan_count), 0) AS extra_rows FROM facts_loans
),
tape_rows AS (
  SELECT count(*) AS rows_read, count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected FROM facts_loan_tape
),
suppressions AS (
  SELECT count(*) AS entries, count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected FROM facts_suppressions
),
custom_fields AS (
  SELECT coalesce(sum(lines), 0) AS lines, coalesce(sum(unreadable_lines), 0) AS unreadable FROM facts_custom_fields
),
dispositions AS (
  SELECT coalesce(sum(attempts), 0) AS attempts,
    coalesce(sum(CASE WHEN attributed_by = 'unknown_loan' THEN attempts ELSE 0 END), 0) AS unknown_loan,
    coalesce(sum(unknown_channel_attempts), 0) AS unknown_channel,
    coalesce(sum(malformed_rows), 0) AS malformed
  FROM facts_dispositions
),
contacts AS (
  SELECT
    count(*) AS records,
    count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected,
    count(CASE WHEN reject_reason IS NULL THEN 1 END) AS usable,
    count(CASE WHEN reject_reason IS NULL AND contact_type <> 'email' THEN 1 END) AS phones,
    count(CASE WHEN reject_reason IS NULL AND contact_type <> 'email'
      AND NOT regexp_like(coalesce(contact_value, ''), '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$') THEN 1 END) AS phone_not_e164,
    count(CASE WHEN reject_reason IS NULL AND contact_type = 'email' THEN 1 END) AS emails,
    count(CASE WHEN reject_reason IS NULL AND contact_type = 'email'
      AND NOT regexp_like(coalesce(contact_value, ''), '^[^@\s]+@[^@\s]+\.[^@\s.]+$') THEN 1 END) AS email_malformed
  FROM facts_contacts
),
contact_rules AS (
  SELECT count(*) AS rules,
    count(CASE WHEN has_unreadable_flag OR has_unreadable_date THEN 1 END) AS unreadable,
    count(CASE WHEN r.reject_reason IS NULL AND l.customer_key IS NULL THEN 1 END) AS unknown_customer
  FROM facts_contact_rules r LEFT JOIN (SELECT customer_key FROM facts_loans) l ON l.customer_key = r.customer_key
),
payment_requests AS (
  SELECT count(CASE WHEN is_current OR reject_reason IS NOT NULL THEN 1 END) AS requests,
    count(CASE WHEN reject_reason IS NOT NULL THEN 1 END) AS rejected,
    count(CASE WHEN has_unreadable_status OR has_unreadable_date THEN 1 END) AS unreadable
  FROM facts_payment_requests
),
zip_suppressions AS (
  SELECT count(*) AS entries, count(CASE WHEN has_unreadable_date THEN 1 END) AS unreadable FROM facts_zip_suppressions
)
SELECT 'customers_rows' AS check_name, customer_rows AS observed, CAST(NULL AS BIGINT) AS total FROM customers
UNION ALL
SELECT 'loan_tape_duplicate_rate', CAST(extra_rows AS BIGINT), CAST(tape_rows AS BIGINT) FROM tape
UNION ALL
SELECT 'suppressions_reject_rate', rejected, entries FROM suppressions
UNION ALL
SELECT 'custom_fields_unreadable_rate', CAST(unreadable AS BIGINT), CAST(lines AS BIGINT) FROM custom_fields
UNION ALL
SELECT 'dispositions_unknown_loan_rate', CAST(unknown_loan AS BIGINT), CAST(attempts AS BIGINT) FROM dispositions
UNION ALL
SELECT 'dispositions_malformed_rate', CAST(malformed AS BIGINT), CAST(attempts AS BIGINT) FROM dispositions
UNION ALL
SELECT 'dispositions_repeated_rate', repeated_rows, window_rows FROM facts_repeated_attempts
UNION ALL
SELECT 'dispositions_unknown_channel_rate', CAST(unknown_channel AS BIGINT), CAST(attempts AS BIGINT) FROM dispositions
UNION ALL
SELECT 'loan_tape_reject_rate', rejected, rows_read FROM tape_rows
UNION ALL
SELECT 'customers_state_invalid', state_invalid, customer_rows FROM customers
UNION ALL
SELECT 'customers_zip_invalid', zip_invalid, customer_rows FROM customers
UNION ALL
SELECT 'customers_loan_tape_asofdate_invalid', asofdate_invalid, customer_rows FROM customers
UNION ALL
SELECT 'customers_days_past_due_missing', days_past_due_missing, customer_rows FROM customers
UNION ALL
SELECT 'contacts_rows', usable, CAST(NULL AS BIGINT) FROM contacts
UNION ALL
SELECT 'contacts_reject_rate', rejected, records FROM contacts
UNION ALL
SELECT 'contacts_phone_not_e164', phone_not_e164, phones FROM contacts
UNION ALL
SELECT 'contacts_email_malformed', email_malformed, emails FROM contacts
UNION ALL
SELECT 'contact_rules_unreadable_rate', unreadable, rules FROM contact_rules
UNION ALL
SELECT 'contact_rules_unknown_customer_rate', unknown_customer, rules FROM contact_rules
UNION ALL
SELECT 'payment_requests_reject_rate', rejected, requests FROM payment_requests
UNION ALL
SELECT 'payment_requests_unreadable_rate', unreadable, requests FROM payment_requests
UNION ALL
SELECT 'zip_suppressions_unreadable_rate', unreadable, entries FROM zip_suppressions
