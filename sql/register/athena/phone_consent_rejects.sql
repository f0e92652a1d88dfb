CREATE EXTERNAL TABLE IF NOT EXISTS phone_consent_rejects (
  feed string,
  source_file string,
  file_date date,
  reject_reason string,
  raw_fields string
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
