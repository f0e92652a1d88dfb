CREATE OR REPLACE VIEW loan_tape_raw AS
SELECT payoffuid, account_number, portfolio, loan_status, days_past_due, amount_due, principal_balance,
  state, zip, first_name, last_name, loan_tape_asofdate,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN loan_tape_asofdate IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM loan_tape_files
WHERE asof = {{load_date}}
