-- Every row of the load date's loan tape (view loan_tape_raw), the fields that join trimmed, the customer key
-- (sql/fragments/customer_key.sql), and why a row cannot be used (reject_reason; facts_summary.sql counts
-- them, facts_loans.sql keeps the others): TOO_FEW_FIELDS / TOO_MANY_FIELDS (a short row, another delimiter, a
-- `|` inside a field: its fields are not where the columns say), MISSING_PAYOFFUID (empty or blanks), INVALID_PAYOFFUID (control
-- characters such as NUL, which would make another customer of it), INVALID_ACCOUNT_NUMBER (not 16 digits:
-- consent, custom fields and the Regulation F counts of the debt join on it, so a loan listed under it
-- would be called without its caps).
WITH tape AS (
  SELECT
    nullif(trim(payoffuid, chr(9) || chr(10) || chr(13) || chr(32)), '') AS payoffuid,
    nullif(trim(account_number, chr(9) || chr(10) || chr(13) || chr(32)), '') AS account_number,
    nullif(portfolio, '') AS portfolio,
    nullif(loan_status, '') AS loan_status,
    nullif(days_past_due, '') AS days_past_due_text,
    nullif(amount_due, '') AS amount_due_text,
    nullif(principal_balance, '') AS principal_balance_text,
    nullif(state, '') AS state,
    nullif(zip, '') AS zip,
    nullif(first_name, '') AS first_name,
    nullif(last_name, '') AS last_name,
    nullif(loan_tape_asofdate, '') AS asofdate_text,
    source_file,
    source_line,
    row_problem
  FROM loan_tape_raw
),
keyed AS (
{{fragment customer_key over tape}}
)
SELECT k.*,
  CASE
    WHEN row_problem IS NOT NULL THEN row_problem
    WHEN customer_key IS NULL THEN 'MISSING_PAYOFFUID'
    WHEN regexp_like(payoffuid, '[[:cntrl:]]') THEN 'INVALID_PAYOFFUID'
    WHEN account_number IS NULL OR NOT regexp_like(account_number, '^[0-9]{16}$') THEN 'INVALID_ACCOUNT_NUMBER'
  END AS reject_reason
FROM keyed k
