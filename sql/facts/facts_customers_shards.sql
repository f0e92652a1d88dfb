-- The `customers` rows of the shard files (docs/customer-facts.md): the loan tape row, the disposition
-- counters of the account (facts_dispositions.sql), the custom-field record, the customer's contact rules in force
-- (facts_contact_rules.sql), payment requests (facts_payment_requests.sql) and ZIP suppression
-- (facts_zip_suppressions.sql), the derived dates; `shard` last (the partition column of the unload).
WITH activity AS (
  SELECT account_number,
    sum(calls_last_7_days) AS calls_last_7_days,
    sum(communications_last_7_days) AS communications_last_7_days,
    sum(attempts_last_7_days) AS attempts_last_7_days,
    sum(communications_last_24h) AS communications_last_24h,
    max(last_conversation_date) AS last_conversation_date,
    max(last_attempt_date) AS last_attempt_date
  FROM facts_dispositions
  WHERE account_number IS NOT NULL
  GROUP BY account_number
),
-- Any rule of the customer in force on D that says Y (or cannot be read) sets the flag.
rules AS (
  SELECT customer_key,
    max(CASE WHEN cease_and_desist THEN 1 ELSE 0 END) AS cease_and_desist,
    max(CASE WHEN bankruptcy THEN 1 ELSE 0 END) AS bankruptcy,
    max(CASE WHEN suppress_phone THEN 1 ELSE 0 END) AS suppress_phone,
    max(CASE WHEN suppress_text THEN 1 ELSE 0 END) AS suppress_text,
    max(CASE WHEN suppress_letter THEN 1 ELSE 0 END) AS suppress_letter,
    max(CASE WHEN suppress_email THEN 1 ELSE 0 END) AS suppress_email
  FROM facts_contact_rules
  WHERE reject_reason IS NULL AND in_force
  GROUP BY customer_key
),
requests AS (
  SELECT customer_key,
    max(CASE WHEN request_type IN ('ONE_TIME_PAYMENT', 'MANUAL_BILL_PAYMENT') AND status <> 'deleted'
      AND (effective_day IS NULL OR effective_day >= {{load_date}}) THEN 1 ELSE 0 END) AS pending_payment,
    max(CASE WHEN request_type = 'LOAN_MODIFICATION' AND status = 'completed' THEN coalesce(submitted_day, {{load_date}}) END) AS last_loan_modification_date
  FROM facts_payment_requests
  WHERE is_current
  GROUP BY customer_key
),
zips AS (
  SELECT zip5, min(reason) AS reason
  FROM facts_zip_suppressions
  WHERE reject_reason IS NULL AND in_force
  GROUP BY zip5
)
SELECT
  l.payoffuid,
  l.account_number,
  l.loan_id,
  l.portfolio,
  l.loan_status,
  l.days_past_due,
  l.amount_due,
  l.principal_balance,
  CAST(l.origination_date AS VARCHAR) AS origination_date,
  CAST(l.next_payment_due_date AS VARCHAR) AS next_payment_due_date,
  CAST(l.charge_off_date AS VARCHAR) AS charge_off_date,
  l.recoveries_paid_to_date,
  l.payment_mode,
  l.placement_status,
  CAST(l.next_workable_date AS VARCHAR) AS next_workable_date,
  CAST(l.last_collections_contact_date AS VARCHAR) AS last_collections_contact_date,
  CAST(l.loan_tape_asofdate AS VARCHAR) AS loan_tape_asofdate,
  l.first_name,
  l.last_name,
  l.address_1,
  l.address_2,
  l.city,
  l.state,
  l.zip,
  coalesce(r.cease_and_desist, 0) = 1 AS cease_and_desist,
  coalesce(r.bankruptcy, 0) = 1 AS bankruptcy,
  coalesce(r.suppress_phone, 0) = 1 AS suppress_phone,
  coalesce(r.suppress_text, 0) = 1 AS suppress_text,
  coalesce(r.suppress_letter, 0) = 1 AS suppress_letter,
  coalesce(r.suppress_email, 0) = 1 AS suppress_email,
  coalesce(q.pending_payment, 0) = 1 AS pending_payment,
  CAST(q.last_loan_modification_date AS VARCHAR) AS last_loan_modification_date,
  z.reason AS zip_suppression_reason,
  CAST(coalesce(a.calls_last_7_days, 0) AS BIGINT) AS calls_last_7_days,
  CAST(coalesce(a.communications_last_7_days, 0) AS BIGINT) AS communications_last_7_days,
  CAST(coalesce(a.attempts_last_7_days, 0) AS BIGINT) AS attempts_last_7_days,
  CAST(coalesce(a.communications_last_24h, 0) AS BIGINT) AS communications_last_24h,
  CAST(a.last_conversation_date AS VARCHAR) AS last_conversation_date,
  CAST(a.last_attempt_date AS VARCHAR) AS last_attempt_date,
  {{load_weekday}} AS load_weekday,
  CAST(date_diff('day', l.loan_tape_asofdate, l.next_payment_due_date) AS BIGINT) AS days_until_next_payment,
  CAST(date_diff('day', l.charge_off_date, l.loan_tape_asofdate) AS BIGINT) AS days_since_charge_off,
  f.custom_fields_json,
  coalesce(f.unreadable_lines, 0) > 0 AS custom_fields_unreadable,
  lpad(CAST(l.shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_loans l
LEFT JOIN activity a ON a.account_number = l.account_number
LEFT JOIN facts_custom_fields f ON f.account_number = l.account_number
LEFT JOIN rules r ON r.customer_key = l.customer_key
LEFT JOIN requests q ON q.customer_key = l.customer_key
LEFT JOIN zips z ON z.zip5 = CASE WHEN regexp_like(trim(coalesce(l.zip, '')), '^[0-9]{5}(-[0-9]{4})?$') THEN substr(trim(l.zip), 1, 5) END
