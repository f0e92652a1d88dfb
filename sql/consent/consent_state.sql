-- The carried consent state after this run (docs/consent-sql.md "Carried state"): per (account, phone) the
-- greatest maintenance record key, the greatest enrollment record key and the last NON-FIN-BDL snapshot
-- date, over every export read so far. Each is a maximum, so merging the records read this run into the
-- state carried from the previous run gives exactly what one pass over all the exports gives.
-- Each part reads consent_bronze's valid rows itself: one CTE of them, read three times, would be materialised
-- (35 M rows on a full load), which costs more than the scans.
-- NON-FIN-BDL duplicates (§4): one record per (account, cnsmr_phn_id) and file date, the greatest (record key,
-- phone) winning. Almost every id names one phone in all its records: those go on as they are, since their
-- duplicates are duplicates of one (account, phone, date), which the maximum below merges into the record the
-- rule picks. Only the rare ids naming several phones are resolved here. An id is one of phone_id_number and
-- phone_id_text (consent_bronze.sql); 0 and '' are no id (a number has no leading zero, a valid id is not empty).
WITH conflicting_ids AS (
  SELECT account_key, phone_id_number, phone_id_text
  FROM consent_bronze
  WHERE reject_reason IS NULL AND feed = 'NON-FIN-BDL'
  GROUP BY account_key, phone_id_number, phone_id_text
  HAVING min(phone_key) <> max(phone_key)
),
records AS (
  SELECT v.feed, v.account_key, v.phone_key, v.event_date, v.record_key
  FROM consent_bronze v
  LEFT JOIN conflicting_ids c ON c.account_key = v.account_key
    AND coalesce(c.phone_id_number, 0) = coalesce(v.phone_id_number, 0) AND coalesce(c.phone_id_text, '') = coalesce(v.phone_id_text, '')
  WHERE v.reject_reason IS NULL AND (v.feed <> 'NON-FIN-BDL' OR c.account_key IS NULL)
  UNION ALL
  SELECT 'NON-FIN-BDL', account_key, phone_key, event_date, record_key
  FROM (
    SELECT v.account_key, v.phone_key, v.event_date, v.record_key,
      row_number() OVER (PARTITION BY v.account_key, v.phone_id_number, v.phone_id_text, v.event_date ORDER BY v.record_key DESC, v.phone_key DESC) AS id_rank
    FROM consent_bronze v
    JOIN conflicting_ids c ON c.account_key = v.account_key
      AND coalesce(c.phone_id_number, 0) = coalesce(v.phone_id_number, 0) AND coalesce(c.phone_id_text, '') = coalesce(v.phone_id_text, '')
    WHERE v.reject_reason IS NULL AND v.feed = 'NON-FIN-BDL'
  ) conflicting
  WHERE id_rank = 1
)
SELECT account_key, phone_key,
  max(maintenance_key) AS maintenance_key,
  max(enrollment_key) AS enrollment_key,
  max(last_snapshot_date) AS last_snapshot_date
FROM (
  SELECT account_key, phone_key,
    CASE WHEN feed <> 'ENRLMT' THEN record_key END AS maintenance_key,
    CASE WHEN feed = 'ENRLMT' THEN record_key END AS enrollment_key,
    CASE WHEN feed = 'NON-FIN-BDL' THEN event_date END AS last_snapshot_date
  FROM records
  UNION ALL
  SELECT account_key, phone_key, maintenance_key, enrollment_key, last_snapshot_date
  FROM consent_state_carried
) merged
GROUP BY account_key, phone_key
