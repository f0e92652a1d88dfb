-- No state carried (a first run, or a rebuild from every export): an empty state.
SELECT CAST(NULL AS BIGINT) AS account_key, CAST(NULL AS BIGINT) AS phone_key, CAST(NULL AS BIGINT) AS maintenance_key,
  CAST(NULL AS BIGINT) AS enrollment_key, CAST(NULL AS DATE) AS last_snapshot_date
WHERE 1 = 0
