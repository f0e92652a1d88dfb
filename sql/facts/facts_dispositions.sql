-- The contact attempts of the 90 days ending on the load date D (view dispositions_raw; the day of an attempt
-- is its date= folder: attempts made on that day), counted per loan (account) for the §6.1 caps. Fields are
-- trimmed and codes read case-insensitively (a value already clean skips the costly trim). An attempt counts
-- toward the loan of its account number; an attempt whose account number is empty, another loan of the
-- customer's (a customer is evaluated on one loan, facts_loans.sql) or not on the loan tape counts toward the
-- loan of its customer (payoffuid as a customer key), so a cap is never weakened by a
-- missing or mistyped account (fail closed); an attempt that matches neither is quarantined (account NULL,
-- counted by facts_summary.sql). A row whose fields are not where the columns say (too few or too many) still
-- counts as an attempt of its account (fail closed) and is counted (malformed_rows). Windows end on D and
-- include it: the 7 days are week_start (D-6) … D, the 24 hours previous_date (D-1) and D.
WITH attempts AS (
  SELECT
    CASE WHEN substr(account_number, 1, 1) BETWEEN '!' AND '~' AND substr(account_number, length(account_number), 1) BETWEEN '!' AND '~'
      THEN account_number ELSE nullif({{trim_or_empty account_number}}, '') END AS account_text,
    payoffuid,
    try_cast(attempt_date AS DATE) AS attempt_date,
    CASE WHEN channel IN ('call', 'sms', 'email') THEN channel ELSE lower({{trim_or_empty channel}}) END AS channel,
    CASE WHEN is_conversation IN ('Y', 'N') THEN is_conversation ELSE upper({{trim_or_empty is_conversation}}) END AS is_conversation,
    row_problem
  FROM dispositions_raw
  WHERE try_cast(attempt_date AS DATE) BETWEEN {{history_start}} AND {{load_date}}
),
by_account AS (
  SELECT a.*, l.account_number
  FROM attempts a
  LEFT JOIN facts_loans l ON l.account_number = a.account_text
),
-- The few attempts whose account number is not a loan's: by their customer.
unmatched AS (
  SELECT attempt_date, channel, is_conversation, account_text, payoffuid, row_problem FROM by_account WHERE account_number IS NULL
),
unmatched_keyed AS (
{{fragment customer_key over unmatched}}
),
-- A customer's loans beside the one it is evaluated on (facts_loans.sql): their attempts count toward its caps.
other_loans AS (
  SELECT DISTINCT customer_key, account_number FROM facts_loan_tape WHERE reject_reason IS NULL
),
attributed AS (
  SELECT attempt_date, channel, is_conversation, row_problem, account_number, 'account' AS attributed_by
  FROM by_account
  WHERE account_number IS NOT NULL
  UNION ALL
  SELECT u.attempt_date, u.channel, u.is_conversation, u.row_problem, l.account_number,
    CASE WHEN l.account_number IS NULL THEN 'unknown_loan' WHEN u.account_text IS NULL THEN 'customer_no_account'
      WHEN o.account_number IS NOT NULL THEN 'customer_other_loan' ELSE 'customer_account_not_on_tape' END
  FROM unmatched_keyed u
  LEFT JOIN facts_loans l ON l.customer_key = u.customer_key
  LEFT JOIN other_loans o ON o.customer_key = u.customer_key AND o.account_number = u.account_text
)
SELECT
  account_number,
  attributed_by,
  CAST(count(*) AS BIGINT) AS attempts,
  CAST(sum(CASE WHEN channel = 'call' AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS calls_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms') AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS communications_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms', 'email') AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS attempts_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms') AND attempt_date >= {{previous_date}} THEN 1 ELSE 0 END) AS BIGINT) AS communications_last_24h,
  max(CASE WHEN channel = 'call' AND is_conversation = 'Y' THEN attempt_date END) AS last_conversation_date,
  max(CASE WHEN channel IN ('call', 'sms', 'email') THEN attempt_date END) AS last_attempt_date,
  CAST(sum(CASE WHEN channel NOT IN ('call', 'sms', 'email') THEN 1 ELSE 0 END) AS BIGINT) AS unknown_channel_attempts,
  CAST(sum(CASE WHEN row_problem IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS malformed_rows
FROM attributed
GROUP BY account_number, attributed_by
