-- A line that is not JSON gives NULLs (json_extract returns NULL), which the facts SQL counts.
CREATE OR REPLACE VIEW custom_fields_raw AS
SELECT json_extract_scalar(line, '$.account_number') AS account_number,
  json_format(json_extract(line, '$.fields')) AS fields_json,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line
FROM custom_fields_files
WHERE asof = {{load_date}} AND trim(line) <> ''
