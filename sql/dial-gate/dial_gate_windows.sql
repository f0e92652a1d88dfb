-- The calling window of each (account, phone) on the published call lists of the load date D, for can-call
-- (docs/api.md): a number on several lists of the account gets the intersection (the latest start, the earliest
-- end). Only customers not suppressed: their contacts are the ones exported. Instants as text, UTC.
SELECT l.account_number, c.contact_value AS phone_number,
  CAST(max(c.window_start_utc) AS VARCHAR) AS window_start_utc,
  CAST(min(c.window_end_utc) AS VARCHAR) AS window_end_utc
FROM rpt_outbound_list_contacts c
JOIN rpt_outbound_lists l
  ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid
WHERE c.load_date = {{load_date}} AND l.channel = 'call' AND NOT l.suppression_flag
  AND c.window_start_utc IS NOT NULL AND c.window_end_utc IS NOT NULL
GROUP BY l.account_number, c.contact_value
ORDER BY l.account_number, c.contact_value
