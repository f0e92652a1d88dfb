-- Every bronze row of this run's exports that failed validation, with its file, the reason and its non-PII
-- fields as read (never silently dropped; SSNs and names are not read past the file reader).
SELECT
  feed,
  source_file,
  file_date,
  reject_reason,
  raw_fields
FROM consent_bronze
WHERE reject_reason IS NOT NULL
