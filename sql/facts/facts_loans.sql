-- One row per customer (payoffuid) of the load date's loan tape, typed, from the usable rows of
-- facts_loan_tape (facts_loan_tape.sql; an empty field is NULL). A customer is its customer_key (the payoffuid
-- compared case-insensitively, with or without dashes); a loan is one account_number of a customer.
-- * Rows of one loan delivered more than once (duplicate_rows) keep one, chosen without regard to file order:
--   the newest loan_tape_asofdate, then the smallest values column by column.
-- * A customer with several loans is evaluated once (SPEC §6: per customer, at most one list per set), on its
--   primary loan: the most days past due (the debt the lists work; unreadable days last), then the newest
--   loan_tape_asofdate, then the smallest account number. Its other loans are not dropped silently: their
--   attempts count toward the customer's caps (facts_dispositions.sql), a consent withdrawal on one stops
--   texts to that phone (facts_contacts.sql), and they are counted (loan_count; facts_summary.sql other_loans).
-- tape_rows counts the customer's rows, loan_count its loans. shard_hash is the first 32 bits of md5(payoffuid)
-- as a number, the same in both engines (docs/customer-facts.md); the shard is shard_hash modulo the shard count.
WITH tape AS (
  SELECT * FROM facts_loan_tape WHERE reject_reason IS NULL
),
loans AS (
  SELECT t.*,
    try_cast(days_past_due_text AS INTEGER) AS days_past_due,
    row_number() OVER (
      PARTITION BY customer_key, account_number
      ORDER BY coalesce(asofdate_text, '') DESC, payoffuid, coalesce(portfolio, ''), coalesce(loan_status, ''),
        coalesce(days_past_due_text, ''), coalesce(amount_due_text, ''), coalesce(principal_balance_text, ''), coalesce(state, ''),
        coalesce(zip, ''), coalesce(first_name, ''), coalesce(last_name, ''), coalesce(loan_id, ''), coalesce(origination_date_text, ''),
        coalesce(next_payment_due_date_text, ''), coalesce(charge_off_date_text, ''), coalesce(recoveries_paid_to_date_text, ''),
        coalesce(payment_mode, ''), coalesce(placement_status, ''), coalesce(next_workable_date_text, ''),
        coalesce(last_collections_contact_date_text, ''), coalesce(address_1, ''), coalesce(address_2, ''), coalesce(city, '')
    ) AS copy_rank,
    count(*) OVER (PARTITION BY customer_key) AS tape_rows
  FROM tape t
),
ranked AS (
  SELECT l.*,
    row_number() OVER (
      PARTITION BY customer_key
      ORDER BY CASE WHEN days_past_due IS NULL THEN 1 ELSE 0 END, days_past_due DESC, coalesce(asofdate_text, '') DESC, account_number
    ) AS loan_rank,
    count(*) OVER (PARTITION BY customer_key) AS loan_count
  FROM loans l
  WHERE copy_rank = 1
)
SELECT
  payoffuid,
  customer_key,
  account_number,
  loan_id,
  portfolio,
  loan_status,
  days_past_due,
  try_cast(amount_due_text AS DOUBLE) AS amount_due,
  try_cast(principal_balance_text AS DOUBLE) AS principal_balance,
  CASE WHEN regexp_like(asofdate_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(substr(asofdate_text, 1, 10) AS DATE) END AS loan_tape_asofdate,
  -- The dates and the amount were checked by facts_loan_tape.sql (a row whose value cannot be read is set aside).
  try_cast(origination_date_text AS DATE) AS origination_date,
  try_cast(next_payment_due_date_text AS DATE) AS next_payment_due_date,
  try_cast(charge_off_date_text AS DATE) AS charge_off_date,
  try_cast(recoveries_paid_to_date_text AS DOUBLE) AS recoveries_paid_to_date,
  payment_mode,
  placement_status,
  try_cast(next_workable_date_text AS DATE) AS next_workable_date,
  try_cast(last_collections_contact_date_text AS DATE) AS last_collections_contact_date,
  first_name,
  last_name,
  address_1,
  address_2,
  city,
  state,
  zip,
  CAST(tape_rows AS BIGINT) AS tape_rows,
  CAST(loan_count AS BIGINT) AS loan_count,
  from_base(substr(to_hex(md5(to_utf8(payoffuid))), 1, 8), 16) AS shard_hash
FROM ranked
WHERE loan_rank = 1
