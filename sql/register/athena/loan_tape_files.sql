-- extra_fields, past the feed's last column, is not NULL when a row has more fields than the feed: the view's
-- row_problem tells such a row, and a short one, apart.
-- Loan tape files (docs/feeds.md) as text, fields by position; one partition per asof=YYYY-MM-DD folder
-- (partition projection: nothing to add per day). Read through the view loan_tape_raw.
CREATE EXTERNAL TABLE IF NOT EXISTS loan_tape_files (
  payoffuid string,
  account_number string,
  loan_id string,
  portfolio string,
  loan_status string,
  days_past_due string,
  amount_due string,
  principal_balance string,
  origination_date string,
  next_payment_due_date string,
  charge_off_date string,
  recoveries_paid_to_date string,
  payment_mode string,
  placement_status string,
  next_workable_date string,
  last_collections_contact_date string,
  first_name string,
  last_name string,
  address_1 string,
  address_2 string,
  city string,
  state string,
  zip string,
  loan_tape_asofdate string,
  extra_fields string
)
PARTITIONED BY (asof string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.asof.type' = 'date',
  'projection.asof.format' = 'yyyy-MM-dd',
  'projection.asof.range' = '2000-01-01,NOW',
  'projection.asof.interval' = '1',
  'projection.asof.interval.unit' = 'DAYS'
)
