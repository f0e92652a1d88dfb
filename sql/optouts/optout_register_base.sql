-- The register a merge starts from: partition {{base_date}} of optout_register (optout_register.sql).
SELECT contact_value, kind, first_event_date, last_event_date, first_source
FROM optout_register
WHERE as_of_date = {{base_date}}
