-- One custom-field record per account of the load date's custom fields (view custom_fields_raw), the account
-- number trimmed: the record's `fields` object as JSON text. An account with several lines keeps the greatest
-- text, so the choice does not depend on file order; lines counts them. An account with a line that is not
-- JSON (the view finds the account its text names) is marked custom_fields_unreadable: none of its values can
-- be trusted, and the engine keeps it off every set that reads a custom field (docs/customer-facts.md).
-- Lines that name no account stop the build (facts_custom_field_errors.sql).
SELECT
  account_number,
  max(fields_json) AS custom_fields_json,
  CAST(count(*) AS BIGINT) AS lines,
  CAST(sum(CASE WHEN is_json THEN 0 ELSE 1 END) AS BIGINT) AS unreadable_lines
FROM (
  SELECT nullif({{trim_or_empty account_number}}, '') AS account_number, fields_json, is_json
  FROM custom_fields_raw
) f
GROUP BY account_number
