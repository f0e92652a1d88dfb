CREATE EXTERNAL TABLE IF NOT EXISTS phone_consent (
  account_number string,
  phone_number string,
  phone_type string,
  phone_status string,
  phone_technology string,
  quality_score int,
  phone_source string,
  has_sms_consent boolean,
  sms_consent_updated_at date,
  is_deleted boolean,
  delete_type string,
  deleted_at date
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
