CREATE OR REPLACE VIEW consent_raw_enrollment AS
SELECT account_number, consumer_legacy_identifier, agency_id, phone_number, phone_type, phone_technology, phone_status, phone_source, quality_score, enrollment_date,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file
FROM consent_raw_enrollment_files
