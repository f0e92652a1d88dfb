CREATE OR REPLACE VIEW contacts_raw AS
SELECT payoffuid, related_party_type, contact_type, contact_value, created_at,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN created_at IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM contacts_files
WHERE asof = {{load_date}}
