-- Rows of today's gold that differ from the previous gold partition (as_of_date not compared):
-- new (only today), changed (any other column differs), gone (only in the previous partition, with its
-- previous values). With no previous partition every row is new.
WITH today AS (
  SELECT * FROM phone_consent WHERE as_of_date = {{as_of_date}}
),
previous AS (
  SELECT * FROM phone_consent WHERE as_of_date = {{previous_as_of_date}}
)
SELECT
  CASE WHEN p.account_number IS NULL THEN 'new' WHEN t.account_number IS NULL THEN 'gone' ELSE 'changed' END AS change_type,
  coalesce(t.account_number, p.account_number) AS account_number,
  coalesce(t.phone_number, p.phone_number) AS phone_number,
  CASE WHEN t.account_number IS NULL THEN p.phone_type ELSE t.phone_type END AS phone_type,
  CASE WHEN t.account_number IS NULL THEN p.phone_status ELSE t.phone_status END AS phone_status,
  CASE WHEN t.account_number IS NULL THEN p.phone_technology ELSE t.phone_technology END AS phone_technology,
  CASE WHEN t.account_number IS NULL THEN p.quality_score ELSE t.quality_score END AS quality_score,
  CASE WHEN t.account_number IS NULL THEN p.phone_source ELSE t.phone_source END AS phone_source,
  CASE WHEN t.account_number IS NULL THEN p.has_sms_consent ELSE t.has_sms_consent END AS has_sms_consent,
  CASE WHEN t.account_number IS NULL THEN p.sms_consent_updated_at ELSE t.sms_consent_updated_at END AS sms_consent_updated_at,
  CASE WHEN t.account_number IS NULL THEN p.is_deleted ELSE t.is_deleted END AS is_deleted,
  CASE WHEN t.account_number IS NULL THEN p.delete_type ELSE t.delete_type END AS delete_type,
  CASE WHEN t.account_number IS NULL THEN p.deleted_at ELSE t.deleted_at END AS deleted_at
FROM today t
FULL OUTER JOIN previous p
  ON t.account_number = p.account_number AND t.phone_number = p.phone_number
WHERE t.account_number IS NULL
  OR p.account_number IS NULL
  OR t.phone_type <> p.phone_type
  OR t.phone_status <> p.phone_status
  OR t.phone_technology <> p.phone_technology
  OR t.quality_score IS DISTINCT FROM p.quality_score
  OR t.phone_source <> p.phone_source
  OR t.has_sms_consent IS DISTINCT FROM p.has_sms_consent
  OR t.sms_consent_updated_at IS DISTINCT FROM p.sms_consent_updated_at
  OR t.is_deleted <> p.is_deleted
  OR t.delete_type IS DISTINCT FROM p.delete_type
  OR t.deleted_at IS DISTINCT FROM p.deleted_at
