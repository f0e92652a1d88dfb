-- Silver: one row per (account_number, phone_number) from the carried state of this run (SPEC §4; the choices
-- are written down in docs/consent-sql.md). The winner is the greatest maintenance record (NON-FIN-BDL or
-- SUPPLFWD), or for an enrollment-only phone the greatest ENRLMT record; its values are read back from its
-- record key. Presence is the newest snapshot's: a phone seen in snapshots but absent from the newest one is
-- hard-deleted, whatever SUPPLFWD events dated after it left say.
WITH snapshot_dates AS (
  SELECT snapshot_date,
    lead(snapshot_date) OVER (ORDER BY snapshot_date) AS next_snapshot_date,
    max(snapshot_date) OVER () AS newest_snapshot_date
  FROM (SELECT DISTINCT file_date AS snapshot_date FROM consent_files WHERE as_of_date = {{as_of_date}} AND is_snapshot) d
),
state AS (
  SELECT account_key, phone_key, last_snapshot_date,
    maintenance_key IS NOT NULL AS is_maintenance,
    CAST(coalesce(maintenance_key, enrollment_key) AS DOUBLE) AS winner_key
  FROM consent_state
  WHERE as_of_date = {{as_of_date}}
),
-- The winner's values, read back from its record key (built in bronze; its layout: sql/sql-files.ts RECORD_KEY_FIELDS).
winner AS (
  SELECT account_key, phone_key, last_snapshot_date, is_maintenance,
    {{record_key_field winner_key event_day}} AS event_day,
    {{record_key_field winner_key is_supplfwd}} AS is_supplfwd,
    {{record_key_field winner_key is_soft_delete}} AS is_soft_delete,
    {{record_key_field winner_key consent_code}} AS consent_code,
    {{record_key_field winner_key status_code}} AS status_code,
    {{record_key_field winner_key type_code}} AS type_code,
    {{record_key_field winner_key source_code}} AS source_code,
    {{record_key_field winner_key technology_code}} AS technology_code,
    {{record_key_field winner_key quality_code}} AS quality_code,
    {{record_key_field winner_key consent_day}} AS consent_day
  FROM state
),
deletions AS (
  SELECT w.*,
    -- A phone's last snapshot date is a snapshot date (its file holds the phone's row): the first snapshot it
    -- was missing from is the next one, when it is missing from the newest.
    CASE WHEN s.snapshot_date < s.newest_snapshot_date THEN s.next_snapshot_date END AS missing_since,
    CASE WHEN is_maintenance AND is_supplfwd = 1 AND is_soft_delete = 1
      THEN CAST(DATE '1900-01-01' + event_day * INTERVAL '1' DAY AS DATE)
    END AS soft_deleted_at
  FROM winner w
  LEFT JOIN snapshot_dates s ON s.snapshot_date = w.last_snapshot_date
)
SELECT
  lpad(CAST(account_key AS VARCHAR), 16, '0') AS account_number,
  '+1' || CAST(phone_key AS VARCHAR) AS phone_number,
  CASE type_code WHEN 0 THEN 'HOME' WHEN 1 THEN 'MOBILE' WHEN 2 THEN 'OTHER' ELSE 'WORK' END AS phone_type,
  CASE status_code WHEN 0 THEN 'ACTIVE' WHEN 1 THEN 'INACTIVE' ELSE 'DISCONNECTED' END AS phone_status,
  CASE technology_code WHEN 0 THEN 'WIRELESS' WHEN 1 THEN 'VOIP' ELSE 'LANDLINE' END AS phone_technology,
  CASE WHEN quality_code = 127 THEN CAST(NULL AS INTEGER) ELSE CAST(101 - quality_code AS INTEGER) END AS quality_score,
  CASE source_code WHEN 0 THEN 'CLIENT' WHEN 1 THEN 'CONSUMER' WHEN 2 THEN 'OTHER' ELSE 'THIRD_PARTY' END AS phone_source,
  CASE consent_code WHEN 2 THEN 'N' WHEN 1 THEN 'Y' ELSE '' END AS sms_consent_flag,
  CASE WHEN consent_day > 0 THEN CAST(DATE '1900-01-01' + (consent_day - 1) * INTERVAL '1' DAY AS DATE) END AS sms_consent_updated_at,
  last_snapshot_date,
  -- Both deletions apply: the earlier one is recorded; on the same date the hard delete (presence is the snapshot's).
  CASE
    WHEN soft_deleted_at IS NOT NULL AND (missing_since IS NULL OR soft_deleted_at < missing_since) THEN 'soft_delete'
    WHEN missing_since IS NOT NULL THEN 'hard_delete'
  END AS delete_type,
  CASE
    WHEN soft_deleted_at IS NOT NULL AND (missing_since IS NULL OR soft_deleted_at < missing_since) THEN soft_deleted_at
    WHEN missing_since IS NOT NULL THEN missing_since
  END AS deleted_at
FROM deletions
