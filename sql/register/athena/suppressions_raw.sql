CREATE OR REPLACE VIEW suppressions_raw AS
SELECT scope, set_name, list_name, key_type, key, reason, start_date, end_date
FROM suppressions_files
WHERE "$path" = {{snapshot}}
