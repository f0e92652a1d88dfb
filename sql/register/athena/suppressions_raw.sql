CREATE OR REPLACE VIEW suppressions_raw AS
SELECT scope, set_name, list_name, key_type, key, reason, start_date, end_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line
FROM suppressions_files
WHERE "$path" = {{snapshot}}
