-- The outcomes a contact fact reads (§6: WRONG_NUMBER, DISCONNECTED, OPT_OUT, BOUNCED) in the 90 days ending on
-- the load date D (view dispositions_raw), per contact value: facts about the number or address "on that
-- number", whichever loan or customer it was reached for, and whether or not the attempt matched a loan. The
-- value is normalised like the contacts' (phones by the phone rule, emails trimmed and in lower case); a
-- value that cannot be read has contact_value NULL and is counted by facts_summary.sql.
WITH outcome_rows AS (
  SELECT
    CASE WHEN disposition IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED') THEN disposition
      ELSE upper(trim(coalesce(disposition, ''), chr(9) || chr(10) || chr(13) || chr(32))) END AS outcome,
    CASE WHEN channel IN ('call', 'sms', 'email') THEN channel ELSE lower(trim(coalesce(channel, ''), chr(9) || chr(10) || chr(13) || chr(32))) END AS channel,
    contact_value AS value_text,
    contact_value AS phone_raw
  FROM dispositions_raw
  WHERE try_cast(attempt_date AS DATE) BETWEEN {{history_start}} AND {{load_date}}
),
outcomes AS (
  SELECT outcome,
    CASE
      WHEN channel = 'email' OR strpos(coalesce(value_text, ''), '@') > 0 THEN lower(trim(coalesce(value_text, ''), chr(9) || chr(10) || chr(13) || chr(32)))
      ELSE phone_e164
    END AS contact_value
  FROM (
{{fragment phone_normalization over outcome_rows}}
  ) o
  WHERE outcome IN ('WRONG_NUMBER', 'DISCONNECTED', 'OPT_OUT', 'BOUNCED')
)
SELECT
  nullif(contact_value, '') AS contact_value,
  CAST(count(*) AS BIGINT) AS attempts,
  CAST(sum(CASE WHEN outcome = 'WRONG_NUMBER' THEN 1 ELSE 0 END) AS BIGINT) AS wrong_number_count,
  CAST(sum(CASE WHEN outcome = 'DISCONNECTED' THEN 1 ELSE 0 END) AS BIGINT) AS disconnected_count,
  max(CASE WHEN outcome = 'OPT_OUT' THEN 1 ELSE 0 END) = 1 AS opted_out,
  max(CASE WHEN outcome = 'BOUNCED' THEN 1 ELSE 0 END) = 1 AS bounced
FROM outcomes
GROUP BY nullif(contact_value, '')
