-- The call budget of each account on the published call lists of the load date D (calls_allowed_today, §7), for
-- can-call: the smallest if the account is on several lists; NULL only when no cap applies on any of them
-- (docs/compliance.md: e.g. a servicing list outside the capped states). An account on no list gets no row: no budget.
SELECT account_number, min(calls_allowed_today) AS calls_allowed_today
FROM rpt_outbound_lists
WHERE load_date = {{load_date}} AND channel = 'call' AND NOT suppression_flag
GROUP BY account_number
ORDER BY account_number
