-- ENRLMT exports as text, fields by position (SPEC §3.1 order), `"`-quoted fields read; the table lists
-- exactly the exports of one run through a symlink manifest (one S3 URI a line) that the engine writes.
-- Read through the view consent_raw_enrollment, which leaves out the SSN and name columns.
CREATE EXTERNAL TABLE consent_raw_enrollment_files (
  account_number string,
  consumer_legacy_identifier string,
  agency_id string,
  ssn string,
  first_name string,
  last_name string,
  phone_number string,
  phone_type string,
  phone_technology string,
  phone_status string,
  phone_source string,
  quality_score string,
  enrollment_date string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = '|', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
