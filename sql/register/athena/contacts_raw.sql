CREATE OR REPLACE VIEW contacts_raw AS
SELECT payoffuid, related_party_type, contact_type, contact_value, created_at,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line
FROM contacts_files
WHERE asof = {{load_date}}
