-- One row per customer (payoffuid) of the load date's loan tape, typed, from the usable rows of
-- facts_loan_tape (facts_loan_tape.sql; an empty field is NULL). A customer (customer_key: the payoffuid
-- compared case-insensitively, with or without dashes) with several tape rows keeps one, chosen without regard
-- to file order: the newest loan_tape_asofdate, then the smallest values column by column; tape_rows counts
-- its rows. shard_hash is the first 32 bits of md5(payoffuid) as a number, the same in both engines
-- (docs/customer-facts.md); the shard is shard_hash modulo the shard count.
WITH tape AS (
  SELECT * FROM facts_loan_tape WHERE reject_reason IS NULL
),
ranked AS (
  SELECT t.*,
    row_number() OVER (
      PARTITION BY customer_key
      ORDER BY coalesce(asofdate_text, '') DESC, payoffuid, coalesce(account_number, ''), coalesce(portfolio, ''), coalesce(loan_status, ''),
        coalesce(days_past_due_text, ''), coalesce(amount_due_text, ''), coalesce(principal_balance_text, ''), coalesce(state, ''),
        coalesce(zip, ''), coalesce(first_name, ''), coalesce(last_name, '')
    ) AS tape_rank,
    count(*) OVER (PARTITION BY customer_key) AS tape_rows
  FROM tape t
)
SELECT
  payoffuid,
  customer_key,
  account_number,
  portfolio,
  loan_status,
  try_cast(days_past_due_text AS INTEGER) AS days_past_due,
  try_cast(amount_due_text AS DOUBLE) AS amount_due,
  try_cast(principal_balance_text AS DOUBLE) AS principal_balance,
  CASE WHEN regexp_like(asofdate_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(substr(asofdate_text, 1, 10) AS DATE) END AS loan_tape_asofdate,
  first_name,
  last_name,
  state,
  zip,
  CAST(tape_rows AS BIGINT) AS tape_rows,
  from_base(substr(to_hex(md5(to_utf8(payoffuid))), 1, 8), 16) AS shard_hash
FROM ranked
WHERE tape_rank = 1
