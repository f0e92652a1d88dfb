-- The attempts of the 90 days ending on the load date D (view dispositions_raw) whose outcome a contact fact
-- or the opt-out register reads (§6: WRONG_NUMBER, DISCONNECTED, OPT_OUT, BOUNCED), one row each, with the
-- day of the attempt (its date= folder) and the contact value normalised like the contacts' (phones by the phone
-- rule, emails trimmed and in lower case); a value that cannot be read has contact_value NULL or ''.
WITH outcome_rows AS (
  SELECT
    CASE WHEN disposition IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED') THEN disposition
      ELSE upper({{trim_or_empty disposition}}) END AS outcome,
    CASE WHEN channel IN ('call', 'sms', 'email') THEN channel ELSE lower({{trim_or_empty channel}}) END AS channel,
    try_cast(attempt_date AS DATE) AS attempt_date,
    contact_value AS value_text,
    contact_value AS phone_raw
  FROM dispositions_raw
  WHERE try_cast(attempt_date AS DATE) BETWEEN {{history_start}} AND {{load_date}}
)
SELECT outcome, attempt_date,
  CASE
    WHEN channel = 'email' OR strpos(coalesce(value_text, ''), '@') > 0 THEN lower({{trim_or_empty value_text}})
    ELSE phone_e164
  END AS contact_value
FROM (
{{fragment phone_normalization over outcome_rows}}
) o
WHERE outcome IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED')
