-- The changes when the consent table holds no completed load (a first load, or a full load whose base the lake
-- no longer has): every row of today is new, and a row that a load left unfinished (consent_pending) wrote but
-- today does not have is deleted.
WITH today AS (
{{fragment phone_consent_gold over consent_silver}}
)
SELECT 'new' AS change_type, t.account_number, t.phone_number, t.phone_type, t.phone_status, t.phone_technology, t.quality_score,
  t.phone_source, t.has_sms_consent, t.sms_consent_updated_at, t.is_deleted, t.delete_type, t.deleted_at
FROM today t
UNION ALL
SELECT 'gone', u.account_number, u.phone_number, u.phone_type, u.phone_status, u.phone_technology, u.quality_score,
  u.phone_source, u.has_sms_consent, u.sms_consent_updated_at, u.is_deleted, u.delete_type, u.deleted_at
FROM consent_pending u
-- Today's keys are silver's (naming the CTE a second time would make DuckDB materialise it).
LEFT JOIN consent_silver t ON t.account_number = u.account_number AND t.phone_number = u.phone_number
WHERE t.account_number IS NULL
