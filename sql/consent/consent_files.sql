-- The exports the carried state includes: those carried from the previous run and those read this run. A
-- NON-FIN-BDL export is a snapshot when its file date's NON-FIN-BDL exports hold at least one data row, valid
-- or rejected (a header-only delivery is no snapshot, so it cannot hard-delete every phone).
SELECT r.source_file, r.feed, r.file_date, r.feed = 'NON-FIN-BDL' AND s.file_date IS NOT NULL AS is_snapshot
FROM (SELECT source_file, feed, CAST(file_date AS DATE) AS file_date FROM consent_files_read) r
LEFT JOIN (SELECT DISTINCT file_date FROM consent_bronze WHERE feed = 'NON-FIN-BDL') s ON s.file_date = r.file_date
UNION ALL
SELECT source_file, feed, file_date, is_snapshot
FROM consent_files_carried
