-- What the load must write so that the consent table holds today's gold (as_of_date not compared), computed
-- from silver before today's gold partition is written:
--   base     = the gold partition the table holds, {{base_as_of_date}}: the last completed load (none:
--              phone_consent_changes_initial.sql); for a backfill (a date older than that load) the newest gold
--              before it, for the record only, as the load skips it;
--   pending  = consent_pending: the changes of a load left unfinished since the base, any of which the table may
--              hold instead of the base's row (they are written again, or deleted when today has no row);
--   full     = {{full_load}} = 1: every row of today is written (on demand).
-- new: only today; changed: a column differs from the base, or pending, or full; gone: in the base or pending,
-- not today, with its last known values.
WITH today AS (
{{fragment phone_consent_gold over consent_silver}}
),
base AS (
  SELECT * FROM phone_consent WHERE as_of_date = {{base_as_of_date}}
),
compared AS (
  SELECT
    CASE WHEN p.account_number IS NULL AND t.account_number IS NOT NULL THEN 'new' WHEN t.account_number IS NULL THEN 'gone' ELSE 'changed' END AS change_type,
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
  FULL OUTER JOIN base p
    ON t.account_number = p.account_number AND t.phone_number = p.phone_number
  LEFT JOIN consent_pending k
    ON k.account_number = coalesce(t.account_number, p.account_number) AND k.phone_number = coalesce(t.phone_number, p.phone_number)
  WHERE t.account_number IS NULL
    OR p.account_number IS NULL
    OR k.account_number IS NOT NULL
    OR {{full_load}} = 1
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
)
SELECT * FROM compared
UNION ALL
-- A row the unfinished load may have written that is neither today's nor the base's: deleted. (A changes file
-- holds one line per key.) Today's keys are silver's and the base's are its gold partition's: naming the CTEs a
-- second time here would make DuckDB materialise both (2 M rows each at the 1 M scale, ~1 s a day).
SELECT 'gone', u.account_number, u.phone_number, u.phone_type, u.phone_status, u.phone_technology, u.quality_score,
  u.phone_source, u.has_sms_consent, u.sms_consent_updated_at, u.is_deleted, u.delete_type, u.deleted_at
FROM consent_pending u
LEFT JOIN consent_silver t ON t.account_number = u.account_number AND t.phone_number = u.phone_number
LEFT JOIN phone_consent p
  ON p.as_of_date = {{base_as_of_date}} AND p.account_number = u.account_number AND p.phone_number = u.phone_number
WHERE t.account_number IS NULL AND p.account_number IS NULL
