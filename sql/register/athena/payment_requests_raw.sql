CREATE OR REPLACE VIEW payment_requests_raw AS
SELECT payoffuid, request_type, effective_date, status, submitted_at,
  "date" AS request_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN submitted_at IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM payment_requests_files
WHERE "date" BETWEEN {{requests_first_date}} AND {{load_date}}
