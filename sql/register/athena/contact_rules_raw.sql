CREATE OR REPLACE VIEW contact_rules_raw AS
SELECT payoffuid, cease_and_desist, bankruptcy, suppress_phone, suppress_text, suppress_letter, suppress_email, rule_start_date, rule_end_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN rule_end_date IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM contact_rules_files
WHERE asof = {{load_date}}
