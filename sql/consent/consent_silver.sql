-- Silver: one row per (account_number, phone_number) with the winning record, the date its consent value
-- took effect and its deletion state (SPEC §4; the choices are written down in docs/consent-sql.md).
-- Keys are handled as numbers (account BIGINT, national phone BIGINT) because sorting and hashing them
-- is far cheaper than strings; gold turns them back into text.
WITH valid AS (
  SELECT feed, phone_id, event_date, value_code,
    CAST(account_number AS BIGINT) AS account_key,
    CAST(substr(phone_number, 3) AS BIGINT) AS phone_key
  FROM consent_bronze
  WHERE reject_reason IS NULL
),
snapshot_dates AS (
  SELECT file_date AS snapshot_date,
    lead(file_date) OVER (ORDER BY file_date) AS next_snapshot_date,
    max(file_date) OVER () AS newest_snapshot_date
  FROM (SELECT DISTINCT file_date FROM consent_bronze WHERE feed = 'NON-FIN-BDL' AND file_date IS NOT NULL) d
),
-- NON-FIN-BDL duplicates: one record per (account, cnsmr_phn_id) and file date, the greatest (value code,
-- phone) winning. Almost every id names the same phone in all its records: those records go on as they
-- are, since duplicates of one (account, phone, date) are merged below by the greatest value code, which is
-- what the rule picks. Only the rare ids naming several phones are resolved here, per file date.
conflicting_ids AS (
  SELECT account_key, phone_id
  FROM valid
  WHERE feed = 'NON-FIN-BDL'
  GROUP BY account_key, phone_id
  HAVING min(phone_key) <> max(phone_key)
),
nonfin_unique AS (
  SELECT v.account_key, v.phone_key, v.event_date, v.value_code
  FROM valid v
  LEFT JOIN conflicting_ids c ON c.account_key = v.account_key AND c.phone_id = v.phone_id
  WHERE v.feed = 'NON-FIN-BDL' AND c.phone_id IS NULL
  UNION ALL
  SELECT account_key, phone_key, event_date, value_code
  FROM (
    SELECT v.account_key, v.phone_key, v.event_date, v.value_code,
      row_number() OVER (
        PARTITION BY v.account_key, v.phone_id, v.event_date ORDER BY v.value_code DESC, v.phone_key DESC
      ) AS id_rank
    FROM valid v
    JOIN conflicting_ids c ON c.account_key = v.account_key AND c.phone_id = v.phone_id
    WHERE v.feed = 'NON-FIN-BDL'
  ) conflicting
  WHERE id_rank = 1
),
-- The NON-FIN-BDL records left by the cnsmr_phn_id rule (duplicates of one (account, phone, date) may
-- remain) and every ENRLMT and SUPPLFWD record.
records AS (
  SELECT 'NON-FIN-BDL' AS feed, account_key, phone_key, event_date, value_code FROM nonfin_unique
  UNION ALL
  SELECT feed, account_key, phone_key, event_date, value_code FROM valid WHERE feed <> 'NON-FIN-BDL'
),
-- Most phones have only NON-FIN-BDL records, all with the same values (the daily snapshots repeat them).
-- Their history needs no ordering: the winner is the latest snapshot, the consent run starts at the
-- first one. Only the other phones (SUPPLFWD or ENRLMT records, or a value that changed) go through the
-- history window below, which gives the same result for the simple ones, at a far higher cost.
phones AS (
  SELECT account_key, phone_key,
    max(CASE WHEN feed = 'NON-FIN-BDL' THEN 0 ELSE 1 END) AS has_other_feed,
    min(value_code) AS min_value_code,
    max(value_code) AS value_code,
    min(event_date) AS first_event_date,
    max(event_date) AS event_date
  FROM records
  GROUP BY account_key, phone_key
),
-- One record per (account, phone, event date, feed), the greatest value code winning: this removes the SUPPLFWD
-- duplicates of (legacy id, phone, rcrd_dt), the remaining NON-FIN-BDL duplicates of one cnsmr_phn_id, and
-- keeps one of several phone records of a number on one date.
events_unique AS (
  SELECT r.account_key, r.phone_key, r.event_date, r.feed,
    CASE r.feed WHEN 'ENRLMT' THEN 0 ELSE 1 END AS is_maintenance,
    CASE r.feed WHEN 'ENRLMT' THEN 0 WHEN 'NON-FIN-BDL' THEN 1 ELSE 2 END AS feed_rank,
    max(r.value_code) AS value_code
  FROM records r
  JOIN phones p ON p.account_key = r.account_key AND p.phone_key = r.phone_key
  WHERE p.has_other_feed = 1 OR p.min_value_code <> p.value_code
  GROUP BY r.account_key, r.phone_key, r.event_date, r.feed
),
-- The history of each (account, phone) in event order: enrollment records sort before all maintenance
-- records (so they decide only for phones never in NON-FIN-BDL or SUPPLFWD), then by event date, then
-- NON-FIN-BDL before SUPPLFWD (SUPPLFWD wins a tie). The last record is the winner. A consent run starts
-- where the consent value (or the switch from enrollment to maintenance records) changes.
history AS (
  SELECT h.*,
    lead(event_date) OVER (PARTITION BY account_key, phone_key ORDER BY is_maintenance, event_date, feed_rank) IS NULL AS is_winner,
    CASE WHEN lag(is_maintenance * 10 + consent_code, 1, -1)
        OVER (PARTITION BY account_key, phone_key ORDER BY is_maintenance, event_date, feed_rank)
        <> is_maintenance * 10 + consent_code
      THEN CAST(is_maintenance AS VARCHAR) || CAST(event_date AS VARCHAR)
    END AS consent_run_start
  FROM (
    -- consent part of the value code: 0 no answer, 1 Y, 2 N
    SELECT e.*, CASE WHEN value_code % 48 >= 32 THEN 2 WHEN value_code % 48 >= 16 THEN 1 ELSE 0 END AS consent_code
    FROM events_unique e
  ) h
),
current_state AS (
  SELECT account_key, phone_key, feed, event_date, value_code,
    CAST(substr(latest_consent_run_start, 2) AS DATE) AS consent_updated_at, last_snapshot_date
  FROM (
    SELECT account_key, phone_key,
      max(CASE WHEN is_winner THEN feed END) AS feed,
      max(CASE WHEN is_winner THEN event_date END) AS event_date,
      max(CASE WHEN is_winner THEN value_code END) AS value_code,
      -- is_maintenance || date: the latest run start of the winning segment (dates ascend within it).
      max(consent_run_start) AS latest_consent_run_start,
      max(CASE WHEN feed = 'NON-FIN-BDL' THEN event_date END) AS last_snapshot_date
    FROM history
    GROUP BY account_key, phone_key
  ) w
  UNION ALL
  SELECT account_key, phone_key, 'NON-FIN-BDL', event_date, value_code, first_event_date, event_date
  FROM phones
  WHERE has_other_feed = 0 AND min_value_code = value_code
)
SELECT
  lpad(CAST(c.account_key AS VARCHAR), 16, '0') AS account_number,
  '+1' || CAST(c.phone_key AS VARCHAR) AS phone_number,
  CASE WHEN c.value_code % 16 >= 12 THEN 'WORK' WHEN c.value_code % 16 >= 8 THEN 'OTHER' WHEN c.value_code % 16 >= 4 THEN 'MOBILE' ELSE 'HOME' END AS phone_type,
  CASE c.value_code % 4 WHEN 0 THEN 'CLIENT' WHEN 1 THEN 'CONSUMER' WHEN 2 THEN 'OTHER' ELSE 'THIRD_PARTY' END AS phone_source,
  CASE WHEN c.value_code % 48 >= 32 THEN 'N' WHEN c.value_code % 48 >= 16 THEN 'Y' ELSE '' END AS sms_consent_flag,
  c.consent_updated_at AS sms_consent_updated_at,
  c.feed AS winner_feed,
  c.event_date AS winner_event_date,
  c.last_snapshot_date,
  CASE
    WHEN c.feed = 'SUPPLFWD' AND c.value_code >= 48 THEN 'soft_delete'
    WHEN c.last_snapshot_date < s.newest_snapshot_date AND c.event_date < s.next_snapshot_date THEN 'hard_delete'
  END AS delete_type,
  CASE
    WHEN c.feed = 'SUPPLFWD' AND c.value_code >= 48 THEN c.event_date
    WHEN c.last_snapshot_date < s.newest_snapshot_date AND c.event_date < s.next_snapshot_date THEN s.next_snapshot_date
  END AS deleted_at
FROM current_state c
LEFT JOIN snapshot_dates s ON s.snapshot_date = c.last_snapshot_date
