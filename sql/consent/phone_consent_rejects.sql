-- Every bronze row of this run's exports that failed validation, with its file, its raw non-PII values and
-- the reason (never silently dropped; SSNs and names are not read past the file reader).
SELECT
  feed,
  source_file,
  file_date,
  reject_reason,
  account_raw,
  record_id_raw,
  phone_raw,
  type_raw,
  status_raw,
  source_raw,
  technology_raw,
  quality_raw,
  consent_raw,
  consent_date_raw,
  delete_raw,
  record_date_raw
FROM consent_bronze
WHERE reject_reason IS NOT NULL
