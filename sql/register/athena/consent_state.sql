CREATE EXTERNAL TABLE IF NOT EXISTS consent_state (
  account_key bigint,
  phone_key bigint,
  maintenance_key bigint,
  enrollment_key bigint,
  last_snapshot_date date
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
