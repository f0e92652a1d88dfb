CREATE OR REPLACE VIEW zip_suppressions_raw AS
SELECT zip, reason, start_date, end_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN end_date IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM zip_suppressions_files
WHERE "$path" = {{zip_register}}
