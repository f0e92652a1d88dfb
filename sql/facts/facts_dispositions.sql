-- The contact attempts of the 90 days ending on the load date D (view dispositions_raw; the day of an attempt
-- is its date= folder: attempts made on that day), aggregated in one pass per account and, for the outcomes
-- a contact fact reads (WRONG_NUMBER, DISCONNECTED, OPT_OUT, BOUNCED), per outcome and contact value; every
-- other attempt of the account falls in its row with outcome NULL. Windows end on D and include it: the 7 days
-- are week_start (D-6) … D, the 24 hours previous_date (D-1) and D.
SELECT
  account_number,
  outcome,
  contact_value,
  channel_of_outcome AS channel,
  CAST(count(*) AS BIGINT) AS attempts,
  CAST(sum(CASE WHEN channel = 'call' AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS calls_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms') AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS communications_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms', 'email') AND attempt_date >= {{week_start}} THEN 1 ELSE 0 END) AS BIGINT) AS attempts_last_7_days,
  CAST(sum(CASE WHEN channel IN ('call', 'sms') AND attempt_date >= {{previous_date}} THEN 1 ELSE 0 END) AS BIGINT) AS communications_last_24h,
  max(CASE WHEN channel = 'call' AND is_conversation = 'Y' THEN attempt_date END) AS last_conversation_date,
  max(CASE WHEN channel IN ('call', 'sms', 'email') THEN attempt_date END) AS last_attempt_date,
  CAST(sum(CASE WHEN channel IS NULL OR channel NOT IN ('call', 'sms', 'email') THEN 1 ELSE 0 END) AS BIGINT) AS unknown_channel_attempts
FROM (
  SELECT
    nullif(account_number, '') AS account_number,
    try_cast(attempt_date AS DATE) AS attempt_date,
    channel,
    is_conversation,
    CASE WHEN disposition IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED') THEN disposition END AS outcome,
    CASE WHEN disposition IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED') THEN contact_value END AS contact_value,
    CASE WHEN disposition IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED') THEN channel END AS channel_of_outcome
  FROM dispositions_raw
) d
WHERE attempt_date BETWEEN {{history_start}} AND {{load_date}}
GROUP BY account_number, outcome, contact_value, channel_of_outcome
