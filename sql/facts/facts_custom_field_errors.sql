-- Custom-field lines that name no account: the values they hold belong to a customer no one can tell, whose
-- rules would read null (a hardship flag among them). The build stops, naming each line by file and line
-- (never by its contents).
SELECT source_file, source_line, CASE WHEN is_json THEN 'MISSING_ACCOUNT' ELSE 'INVALID_JSON' END AS reject_reason
FROM custom_fields_raw
WHERE nullif({{trim_or_empty account_number}}, '') IS NULL
ORDER BY source_file, source_line, reject_reason
