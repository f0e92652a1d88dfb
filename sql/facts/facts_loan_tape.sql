-- Every row of the load date's loan tape (view loan_tape_raw), the fields that join trimmed, the customer key
-- (sql/fragments/customer_key.sql), and why a row cannot be used (reject_reason; facts_summary.sql counts
-- them, facts_loans.sql keeps the others): TOO_FEW_FIELDS / TOO_MANY_FIELDS (a short row, another delimiter, a
-- `|` inside a field: its fields are not where the columns say), MISSING_PAYOFFUID (empty or blanks), INVALID_PAYOFFUID (control
-- characters such as NUL, which would make another customer of it), INVALID_ACCOUNT_NUMBER (not 16 digits:
-- consent, custom fields and the Regulation F counts of the debt join on it, so a loan listed under it
-- would be called without its caps), INVALID_LOAN_STATUS (not one of the servicer's Current, Delinquent, Charge off,
-- Paid in Full, Sold in any case: a charged-off loan misspelt would pass every "not Charge off" condition),
-- INVALID_<COLUMN> for a date column (origination_date, next_payment_due_date, charge_off_date, next_workable_date,
-- last_collections_contact_date) that is neither empty nor YYYY-MM-DD, and INVALID_RECOVERIES_PAID_TO_DATE for an amount
-- that is neither empty nor a number: a next workable date or a charge-off date read as missing would let the loan be
-- worked (fail closed: the row is set aside, counted, and the customer is on no list).
WITH tape AS (
  SELECT
    nullif({{trim payoffuid}}, '') AS payoffuid,
    nullif({{trim account_number}}, '') AS account_number,
    nullif(loan_id, '') AS loan_id,
    nullif(portfolio, '') AS portfolio,
    nullif({{trim loan_status}}, '') AS loan_status_text,
    nullif(days_past_due, '') AS days_past_due_text,
    nullif(amount_due, '') AS amount_due_text,
    nullif(principal_balance, '') AS principal_balance_text,
    nullif({{trim origination_date}}, '') AS origination_date_text,
    nullif({{trim next_payment_due_date}}, '') AS next_payment_due_date_text,
    nullif({{trim charge_off_date}}, '') AS charge_off_date_text,
    nullif({{trim recoveries_paid_to_date}}, '') AS recoveries_paid_to_date_text,
    nullif(payment_mode, '') AS payment_mode,
    nullif({{trim placement_status}}, '') AS placement_status,
    nullif({{trim next_workable_date}}, '') AS next_workable_date_text,
    nullif({{trim last_collections_contact_date}}, '') AS last_collections_contact_date_text,
    nullif(address_1, '') AS address_1,
    nullif(address_2, '') AS address_2,
    nullif(city, '') AS city,
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
),
statuses AS (
  SELECT k.*,
    CASE lower(loan_status_text)
      WHEN 'current' THEN 'Current' WHEN 'delinquent' THEN 'Delinquent' WHEN 'charge off' THEN 'Charge off'
      WHEN 'paid in full' THEN 'Paid in Full' WHEN 'sold' THEN 'Sold'
    END AS loan_status
  FROM keyed k
)
SELECT k.*,
  CASE
    WHEN row_problem IS NOT NULL THEN row_problem
    WHEN customer_key IS NULL THEN 'MISSING_PAYOFFUID'
    WHEN regexp_like(payoffuid, '[[:cntrl:]]') THEN 'INVALID_PAYOFFUID'
    WHEN account_number IS NULL OR NOT regexp_like(account_number, '^[0-9]{16}$') THEN 'INVALID_ACCOUNT_NUMBER'
    WHEN loan_status IS NULL THEN 'INVALID_LOAN_STATUS'
    WHEN origination_date_text IS NOT NULL AND try_cast(CASE WHEN regexp_like(origination_date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN origination_date_text END AS DATE) IS NULL THEN 'INVALID_ORIGINATION_DATE'
    WHEN next_payment_due_date_text IS NOT NULL AND try_cast(CASE WHEN regexp_like(next_payment_due_date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN next_payment_due_date_text END AS DATE) IS NULL THEN 'INVALID_NEXT_PAYMENT_DUE_DATE'
    WHEN charge_off_date_text IS NOT NULL AND try_cast(CASE WHEN regexp_like(charge_off_date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN charge_off_date_text END AS DATE) IS NULL THEN 'INVALID_CHARGE_OFF_DATE'
    WHEN next_workable_date_text IS NOT NULL AND try_cast(CASE WHEN regexp_like(next_workable_date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN next_workable_date_text END AS DATE) IS NULL THEN 'INVALID_NEXT_WORKABLE_DATE'
    WHEN last_collections_contact_date_text IS NOT NULL AND try_cast(CASE WHEN regexp_like(last_collections_contact_date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN last_collections_contact_date_text END AS DATE) IS NULL THEN 'INVALID_LAST_COLLECTIONS_CONTACT_DATE'
    WHEN recoveries_paid_to_date_text IS NOT NULL AND try_cast(recoveries_paid_to_date_text AS DOUBLE) IS NULL THEN 'INVALID_RECOVERIES_PAID_TO_DATE'
  END AS reject_reason
FROM statuses k
