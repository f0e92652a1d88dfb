-- rpt_outbound_list_contacts (SPEC §7) for one attempt: the contacts that will be used. The shard decisions
-- hold contacts of unsuppressed customers only; the customers cut by list shaping lose theirs here.
-- The calling window arrives as ISO-8601 UTC text (`2026-11-20T13:00:00.000Z`) and is stored as a UTC TIMESTAMP.
SELECT c.set_name, c.list_name, c.payoffuid, c.related_party_type, c.contact_type, c.contact_value,
       c.contact_rank, c.timezone,
       CAST(replace(replace(c.window_start_utc, 'T', ' '), 'Z', '') AS TIMESTAMP) AS window_start_utc,
       CAST(replace(replace(c.window_end_utc, 'T', ' '), 'Z', '') AS TIMESTAMP) AS window_end_utc
FROM decision_contacts c
LEFT JOIN list_capacity_cuts k
  ON k.set_name = c.set_name AND k.list_name = c.list_name AND k.payoffuid = c.payoffuid
WHERE k.payoffuid IS NULL
