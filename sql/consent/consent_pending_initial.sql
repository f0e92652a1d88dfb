-- No load left unfinished since the consent table's last completed load: no row can hold other values.
SELECT CAST(NULL AS VARCHAR) AS change_type, CAST(NULL AS VARCHAR) AS account_number, CAST(NULL AS VARCHAR) AS phone_number,
  CAST(NULL AS VARCHAR) AS phone_type, CAST(NULL AS VARCHAR) AS phone_status, CAST(NULL AS VARCHAR) AS phone_technology,
  CAST(NULL AS INTEGER) AS quality_score, CAST(NULL AS VARCHAR) AS phone_source, CAST(NULL AS BOOLEAN) AS has_sms_consent,
  CAST(NULL AS DATE) AS sms_consent_updated_at, CAST(NULL AS BOOLEAN) AS is_deleted, CAST(NULL AS VARCHAR) AS delete_type,
  CAST(NULL AS DATE) AS deleted_at
WHERE 1 = 0
