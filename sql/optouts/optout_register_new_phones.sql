-- The phones opted out in the register of D that the register of {{loaded_date}} (the day loaded last; NULL: none)
-- did not hold: what the run adds to the PhoneConsent opt-out items for can_send_sms (docs/optout-register.md).
SELECT contact_value AS phone_number, CAST(first_event_date AS VARCHAR) AS first_event_date
FROM optout_register
WHERE as_of_date = {{load_date}} AND contact_type = 'phone' AND kind = 'opt_out'
  AND contact_value NOT IN (
    SELECT contact_value FROM optout_register
    WHERE as_of_date = {{loaded_date}} AND contact_type = 'phone' AND kind = 'opt_out'
  )
ORDER BY contact_value
