-- The load date's suppressed phone numbers for the Genesys DNC list (docs/genesys.md "The DNC list"):
-- every contact-level row of the published rpt_outbound_lists_suppression whose contact is a phone
-- (E.164; phone suppressions of the feed reach it as CONTACT rows of the customers holding the number).
SELECT DISTINCT contact_value AS phone
FROM rpt_outbound_lists_suppression
WHERE load_date = {{load_date}} AND suppression_type = 'CONTACT' AND contact_value LIKE '+%'
ORDER BY phone
