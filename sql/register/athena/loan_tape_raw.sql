CREATE OR REPLACE VIEW loan_tape_raw AS
SELECT payoffuid, account_number, loan_id, portfolio, loan_status, days_past_due, amount_due, principal_balance,
  origination_date, next_payment_due_date, charge_off_date, recoveries_paid_to_date, payment_mode, placement_status,
  next_workable_date, last_collections_contact_date, first_name, last_name, address_1, address_2, city, state, zip, loan_tape_asofdate,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line,
  CASE WHEN loan_tape_asofdate IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem
FROM loan_tape_files
WHERE asof = {{load_date}}
