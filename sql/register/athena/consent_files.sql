CREATE EXTERNAL TABLE IF NOT EXISTS consent_files (
  source_file string,
  feed string,
  file_date date,
  is_snapshot boolean
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
