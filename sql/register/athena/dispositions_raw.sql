CREATE OR REPLACE VIEW dispositions_raw AS
SELECT payoffuid, account_number, channel, contact_value, attempted_at, disposition, is_conversation, purpose,
  "date" AS attempt_date
FROM dispositions_files
WHERE "date" BETWEEN {{first_date}} AND {{load_date}}
