-- Attempts of the 7 days D-6 … D (view dispositions_raw) delivered in more than one file — every field equal,
-- in several files: the same dispositions file delivered twice under two names. Each copy counts toward the
-- caps again (over-counting contacts fewer people, but the figures are wrong); the gate
-- dispositions_repeated_rate stops the run (docs/quality-gates.md). One row.
SELECT
  CAST(coalesce(sum(CASE WHEN files > 1 THEN copies - 1 ELSE 0 END), 0) AS BIGINT) AS repeated_rows,
  CAST(coalesce(sum(copies), 0) AS BIGINT) AS window_rows
FROM (
  SELECT count(*) AS copies, count(DISTINCT source_file) AS files
  FROM dispositions_raw
  WHERE try_cast(attempt_date AS DATE) BETWEEN {{week_start}} AND {{load_date}}
  GROUP BY payoffuid, account_number, channel, contact_value, attempted_at, disposition, is_conversation, purpose
) attempts
