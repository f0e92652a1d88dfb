-- No state carried: no export included yet.
SELECT CAST(NULL AS VARCHAR) AS source_file, CAST(NULL AS VARCHAR) AS feed, CAST(NULL AS DATE) AS file_date,
  CAST(NULL AS BOOLEAN) AS is_snapshot
WHERE 1 = 0
