CREATE EXTERNAL TABLE IF NOT EXISTS phone_consent_rejects (
  feed string,
  source_file string,
  file_date date,
  reject_reason string,
  account_raw string,
  record_id_raw string,
  phone_raw string,
  type_raw string,
  status_raw string,
  source_raw string,
  technology_raw string,
  quality_raw string,
  consent_raw string,
  consent_date_raw string,
  delete_raw string,
  record_date_raw string
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
