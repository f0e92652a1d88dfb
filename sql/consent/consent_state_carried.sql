-- The state the previous run left (the partition of the date it was carried from).
SELECT account_key, phone_key, maintenance_key, enrollment_key, last_snapshot_date
FROM consent_state
WHERE as_of_date = {{carried_from_date}}
