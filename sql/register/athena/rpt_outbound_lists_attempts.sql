CREATE EXTERNAL TABLE IF NOT EXISTS rpt_outbound_lists_attempts (
  set_name string,
  list_name string,
  payoffuid string,
  account_number string,
  suppression_flag boolean,
  loan_tape_asofdate date,
  channel string,
  purpose string,
  ab_group string,
  run_id string,
  state string,
  calls_allowed_today bigint
)
PARTITIONED BY (load_date date, attempt string)
STORED AS PARQUET
LOCATION {{location}}
