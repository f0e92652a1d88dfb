-- The day's changes as ConsentChange lines (domain/consent/consent.ts) for the consent load, in key order.
SELECT
  account_number,
  phone_number,
  phone_type,
  phone_status,
  phone_technology,
  quality_score,
  phone_source,
  has_sms_consent,
  CAST(sms_consent_updated_at AS VARCHAR) AS sms_consent_updated_at,
  is_deleted,
  delete_type,
  CAST(deleted_at AS VARCHAR) AS deleted_at,
  CAST(as_of_date AS VARCHAR) AS as_of_date,
  change_type
FROM phone_consent_changes
WHERE as_of_date = {{as_of_date}}
ORDER BY account_number, phone_number
