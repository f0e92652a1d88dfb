-- The ZIP suppression register (view zip_suppressions_raw: reference/zip_suppressions.csv.gz, docs/feeds.md), one row
-- per entry: the ZIP's five digits (`NNNNN` or `NNNNN-NNNN`, trimmed), the reason (trimmed; empty → UNSPECIFIED) and
-- whether it is in force on D: start_date <= D and (end_date empty or >= D), both ends inclusive; a date that cannot
-- be read, or an empty start, counts as open (fail closed; has_unreadable_date, counted). reject_reason: a row whose
-- fields are not where the columns say, or INVALID_ZIP: such an entry can be neither applied nor ignored, and the
-- step stops (facts_zip_suppression_errors.sql).
WITH entries AS (
  SELECT
    nullif({{trim zip}}, '') AS zip_text,
    nullif({{trim reason}}, '') AS reason_text,
    nullif({{trim start_date}}, '') AS start_text,
    nullif({{trim end_date}}, '') AS end_text,
    source_file,
    source_line,
    row_problem
  FROM zip_suppressions_raw
),
parsed AS (
  SELECT e.*,
    CASE WHEN regexp_like(zip_text, '^[0-9]{5}(-[0-9]{4})?$') THEN substr(zip_text, 1, 5) END AS zip5,
    CASE WHEN regexp_like(start_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(start_text AS DATE) END AS start_day,
    CASE WHEN regexp_like(end_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(end_text AS DATE) END AS end_day
  FROM entries e
)
SELECT
  zip5,
  coalesce(reason_text, 'UNSPECIFIED') AS reason,
  (start_day IS NULL OR start_day <= {{load_date}}) AND (end_day IS NULL OR end_day >= {{load_date}}) AS in_force,
  start_day IS NULL OR (end_text IS NOT NULL AND end_day IS NULL) AS has_unreadable_date,
  CASE
    WHEN row_problem IS NOT NULL THEN row_problem
    WHEN zip5 IS NULL THEN 'INVALID_ZIP'
  END AS reject_reason,
  source_file,
  source_line
FROM parsed
