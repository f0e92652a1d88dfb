CREATE EXTERNAL TABLE IF NOT EXISTS optout_register (
  contact_value string,
  contact_type string,
  kind string,
  first_event_date date,
  last_event_date date,
  first_source string
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
