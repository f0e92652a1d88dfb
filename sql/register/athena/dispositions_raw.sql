CREATE OR REPLACE VIEW dispositions_raw AS
SELECT payoffuid, account_number, channel, contact_value, attempted_at, disposition, is_conversation, purpose,
  "date" AS attempt_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN purpose IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM dispositions_files
WHERE "date" BETWEEN {{first_date}} AND {{load_date}}
