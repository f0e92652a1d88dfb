CREATE OR REPLACE VIEW dispositions_raw AS
SELECT payoffuid, account_number, channel, contact_value, attempted_at, disposition, is_conversation, purpose,
  "date" AS attempt_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line
FROM dispositions_files
WHERE "date" BETWEEN {{first_date}} AND {{load_date}}
