-- A line that is not JSON has no fields and the account its text names, if any (the facts SQL quarantines
-- that account; the same pattern as the DuckDB engine's view).
CREATE OR REPLACE VIEW custom_fields_raw AS
SELECT
  CASE WHEN try(json_parse(line)) IS NOT NULL THEN json_extract_scalar(line, '$.account_number')
    ELSE nullif(regexp_extract(line, '"account_number"\s*:\s*"([^"]*)"', 1), '') END AS account_number,
  json_format(json_extract(line, '$.fields')) AS fields_json,
  try(json_parse(line)) IS NOT NULL AS is_json,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line
FROM custom_fields_files
WHERE asof = {{load_date}} AND trim(line) <> ''
