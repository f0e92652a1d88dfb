CREATE OR REPLACE VIEW suppressions_raw AS
SELECT scope, set_name, list_name, key_type, key, reason, start_date, end_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN end_date IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM suppressions_files
WHERE "$path" = {{snapshot}}
