CREATE OR REPLACE VIEW contacts_raw AS
SELECT payoffuid, related_party_type, contact_type, contact_value, created_at
FROM contacts_files
WHERE asof = {{load_date}}
