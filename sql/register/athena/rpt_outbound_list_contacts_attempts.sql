CREATE EXTERNAL TABLE IF NOT EXISTS rpt_outbound_list_contacts_attempts (
  set_name string,
  list_name string,
  payoffuid string,
  related_party_type string,
  contact_type string,
  contact_value string,
  contact_rank bigint,
  timezone string,
  window_start_utc timestamp,
  window_end_utc timestamp
)
PARTITIONED BY (load_date date, attempt string)
STORED AS PARQUET
LOCATION {{location}}
