-- The changes of the load left unfinished since the consent table's last completed load (registered as
-- consent_pending_changes, Parquet rows of ConsentChange): the table may hold any of these rows.
SELECT change_type, account_number, phone_number, phone_type, phone_status, phone_technology,
  CAST(quality_score AS INTEGER) AS quality_score, phone_source, has_sms_consent,
  CAST(sms_consent_updated_at AS DATE) AS sms_consent_updated_at, is_deleted, delete_type,
  CAST(deleted_at AS DATE) AS deleted_at
FROM consent_pending_changes
