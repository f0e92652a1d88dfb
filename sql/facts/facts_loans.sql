-- One row per customer (payoffuid) of the load date's loan tape (view loan_tape_raw), typed; fields are
-- taken as delivered, an empty field is NULL (docs/customer-facts.md, "Reading the feeds"). A payoffuid
-- (customer_key: compared case-insensitively, with or without dashes) with several tape rows keeps one, chosen
-- without regard to file order: the newest loan_tape_asofdate, then the smallest values column by column;
-- tape_rows counts its rows. Rows without a payoffuid are left out (facts_summary.sql counts them). shard_hash is the first 32 bits of md5(payoffuid) as a number, the
-- same in both engines (docs/customer-facts.md); the shard is shard_hash modulo the shard count.
WITH tape AS (
  SELECT
    nullif(trim(payoffuid, chr(9) || chr(10) || chr(13) || chr(32)), '') AS payoffuid,
    nullif(trim(account_number, chr(9) || chr(10) || chr(13) || chr(32)), '') AS account_number,
    nullif(portfolio, '') AS portfolio,
    nullif(loan_status, '') AS loan_status,
    nullif(days_past_due, '') AS days_past_due_text,
    nullif(amount_due, '') AS amount_due_text,
    nullif(principal_balance, '') AS principal_balance_text,
    nullif(state, '') AS state,
    nullif(zip, '') AS zip,
    nullif(first_name, '') AS first_name,
    nullif(last_name, '') AS last_name,
    nullif(loan_tape_asofdate, '') AS asofdate_text
  FROM loan_tape_raw
),
keyed AS (
{{fragment customer_key over tape}}
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
  FROM keyed t
  WHERE customer_key IS NOT NULL
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
