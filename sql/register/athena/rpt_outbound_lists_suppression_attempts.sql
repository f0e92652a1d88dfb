CREATE EXTERNAL TABLE IF NOT EXISTS rpt_outbound_lists_suppression_attempts (
  suppression_type string,
  suppression_reason string,
  payoffuid string,
  set_name string,
  list_name string,
  contact_value string
)
PARTITIONED BY (load_date date, attempt string)
STORED AS PARQUET
LOCATION {{location}}
