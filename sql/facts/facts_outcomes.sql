-- The outcomes a contact fact reads, per contact value, "on that number" whichever loan or customer it was
-- reached for: the WRONG_NUMBER and DISCONNECTED counts of the 90 days ending on the load date D
-- (facts_disposition_outcomes.sql), and whether the value is in the opt-out register of D (an opt-out or a
-- bounce on any day, optouts/optout_register.sql: the register never forgets). A value that cannot be read has
-- contact_value NULL and is counted by facts_summary.sql.
WITH counted AS (
  SELECT
    nullif(contact_value, '') AS contact_value,
    CAST(count(*) AS BIGINT) AS attempts,
    CAST(sum(CASE WHEN outcome = 'WRONG_NUMBER' THEN 1 ELSE 0 END) AS BIGINT) AS wrong_number_count,
    CAST(sum(CASE WHEN outcome = 'DISCONNECTED' THEN 1 ELSE 0 END) AS BIGINT) AS disconnected_count
  FROM facts_disposition_outcomes
  GROUP BY nullif(contact_value, '')
),
registered AS (
  SELECT contact_value,
    max(CASE WHEN kind = 'opt_out' THEN 1 ELSE 0 END) = 1 AS opted_out,
    max(CASE WHEN kind = 'bounce' THEN 1 ELSE 0 END) = 1 AS bounced
  FROM optout_register
  WHERE as_of_date = {{load_date}}
  GROUP BY contact_value
)
SELECT
  coalesce(c.contact_value, r.contact_value) AS contact_value,
  coalesce(c.attempts, CAST(0 AS BIGINT)) AS attempts,
  coalesce(c.wrong_number_count, CAST(0 AS BIGINT)) AS wrong_number_count,
  coalesce(c.disconnected_count, CAST(0 AS BIGINT)) AS disconnected_count,
  coalesce(r.opted_out, false) AS opted_out,
  coalesce(r.bounced, false) AS bounced
FROM counted c
FULL OUTER JOIN registered r ON r.contact_value = c.contact_value
