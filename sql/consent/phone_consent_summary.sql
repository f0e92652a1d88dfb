-- Row counts of one load, by table and reason, for the run summary and data-quality gates.
SELECT 'gold' AS measure, CAST(NULL AS VARCHAR) AS detail, count(*) AS row_count
FROM phone_consent WHERE as_of_date = {{as_of_date}}
UNION ALL
SELECT 'rejects', reject_reason, count(*)
FROM phone_consent_rejects WHERE as_of_date = {{as_of_date}}
GROUP BY reject_reason
UNION ALL
SELECT 'changes', change_type, count(*)
FROM phone_consent_changes WHERE as_of_date = {{as_of_date}}
GROUP BY change_type
