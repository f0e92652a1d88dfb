-- One custom-field record per account of the load date's custom fields (view custom_fields_raw): the
-- record's `fields` object as JSON text. An account with several lines keeps the greatest text, so the
-- choice does not depend on file order; lines counts them. Lines that are not JSON objects have no
-- account and end in the NULL group (facts_summary.sql counts them).
SELECT account_number, max(fields_json) AS custom_fields_json, CAST(count(*) AS BIGINT) AS lines
FROM (
  SELECT nullif(account_number, '') AS account_number, fields_json
  FROM custom_fields_raw
) f
GROUP BY account_number
