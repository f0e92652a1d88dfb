-- The register a merge starts from when the lake holds none yet: no rows, the columns of optout_register_base.sql.
SELECT CAST(NULL AS VARCHAR) AS contact_value, CAST(NULL AS VARCHAR) AS kind, CAST(NULL AS DATE) AS first_event_date,
  CAST(NULL AS DATE) AS last_event_date, CAST(NULL AS VARCHAR) AS first_source
WHERE false
