CREATE OR REPLACE VIEW loan_tape_raw AS
SELECT payoffuid, account_number, portfolio, loan_status, days_past_due, amount_due, principal_balance,
  state, zip, first_name, last_name, loan_tape_asofdate
FROM loan_tape_files
WHERE asof = {{load_date}}
