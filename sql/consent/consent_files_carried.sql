-- The exports the previous run's state includes.
SELECT source_file, feed, file_date, is_snapshot
FROM consent_files
WHERE as_of_date = {{carried_from_date}}
