-- The gold phone_consent columns (§4) of silver relation {{input}}: what is written as the day's partition and
-- what the changes compare with the state the consent table holds.
SELECT
  account_number,
  phone_number,
  phone_type,
  phone_status,
  phone_technology,
  quality_score,
  phone_source,
  CASE sms_consent_flag WHEN 'Y' THEN true WHEN 'N' THEN false END AS has_sms_consent,
  sms_consent_updated_at,
  delete_type IS NOT NULL AS is_deleted,
  delete_type,
  deleted_at
FROM {{input}}
