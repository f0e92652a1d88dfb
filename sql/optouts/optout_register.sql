-- The opt-out register as of the load date D (SPEC §7 "Opt-out register", docs/optout-register.md): one row per
-- (contact value, kind), kind 'opt_out' (an OPT_OUT disposition on any channel, a STOP or email unsubscribe event)
-- or 'bounce' (a BOUNCED disposition), with the first and last day it was seen and the source of the first
-- ('disposition' or 'event'; on a tie the smaller name). The union of the register it starts from
-- (optout_register_base: its newest partition dated on or before D), the outcomes of the dispositions read today
-- (facts_disposition_outcomes) and the opt-out events (optout_events, archived by the event ingest) dated on or
-- before D: an entry never leaves, and the same inputs give the same rows.
WITH entries AS (
  SELECT contact_value, kind, first_event_date AS event_date, first_source AS source FROM optout_register_base
  UNION ALL
  -- The last day keeps no source: only the first day's is written.
  SELECT contact_value, kind, last_event_date, CAST(NULL AS VARCHAR) FROM optout_register_base
  UNION ALL
  SELECT contact_value, CASE WHEN outcome = 'OPT_OUT' THEN 'opt_out' ELSE 'bounce' END, attempt_date, 'disposition'
  FROM facts_disposition_outcomes
  WHERE outcome IN ('OPT_OUT', 'BOUNCED') AND contact_value <> '' AND attempt_date <= {{load_date}}
  UNION ALL
  SELECT contact_value, 'opt_out', try_cast(event_date AS DATE), 'event'
  FROM optout_events
  WHERE contact_value <> '' AND try_cast(event_date AS DATE) <= {{load_date}}
),
dated AS (
  SELECT contact_value, kind, event_date, min(source) AS source
  FROM entries
  GROUP BY contact_value, kind, event_date
),
bounds AS (
  SELECT contact_value, kind, min(event_date) AS first_event_date, max(event_date) AS last_event_date
  FROM dated
  GROUP BY contact_value, kind
)
SELECT
  b.contact_value,
  CASE WHEN strpos(b.contact_value, '@') > 0 THEN 'email' ELSE 'phone' END AS contact_type,
  b.kind,
  b.first_event_date,
  b.last_event_date,
  d.source AS first_source
FROM bounds b
JOIN dated d ON d.contact_value = b.contact_value AND d.kind = b.kind AND d.event_date = b.first_event_date
ORDER BY b.contact_value, b.kind
