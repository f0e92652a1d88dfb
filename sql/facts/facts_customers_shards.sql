-- The `customers` rows of the shard files (docs/customer-facts.md): the loan tape row, the disposition
-- counters of the account (facts_dispositions.sql), the custom-field record; `shard` last (the partition
-- column of the unload).
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
)
SELECT
  l.payoffuid,
  l.account_number,
  l.portfolio,
  l.loan_status,
  l.days_past_due,
  l.amount_due,
  l.principal_balance,
  CAST(l.loan_tape_asofdate AS VARCHAR) AS loan_tape_asofdate,
  l.first_name,
  l.last_name,
  l.state,
  l.zip,
  CAST(coalesce(a.calls_last_7_days, 0) AS BIGINT) AS calls_last_7_days,
  CAST(coalesce(a.communications_last_7_days, 0) AS BIGINT) AS communications_last_7_days,
  CAST(coalesce(a.attempts_last_7_days, 0) AS BIGINT) AS attempts_last_7_days,
  CAST(coalesce(a.communications_last_24h, 0) AS BIGINT) AS communications_last_24h,
  CAST(a.last_conversation_date AS VARCHAR) AS last_conversation_date,
  CAST(a.last_attempt_date AS VARCHAR) AS last_attempt_date,
  f.custom_fields_json,
  coalesce(f.unreadable_lines, 0) > 0 AS custom_fields_unreadable,
  lpad(CAST(l.shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_loans l
LEFT JOIN activity a ON a.account_number = l.account_number
LEFT JOIN facts_custom_fields f ON f.account_number = l.account_number
