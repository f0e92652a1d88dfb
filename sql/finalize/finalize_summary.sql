-- Counts per list of the attempt {{attempt}} of {{load_date}}, read back from the written partitions:
-- assigned, suppressed, contacts, customer-level suppressions by reason, dropped contacts by reason.
SELECT set_name, list_name, 'assigned' AS measure, CAST(NULL AS VARCHAR) AS detail, count(*) AS row_count
FROM rpt_outbound_lists_attempts
WHERE load_date = {{load_date}} AND attempt = {{attempt}}
GROUP BY set_name, list_name
UNION ALL
SELECT set_name, list_name, 'suppressed', CAST(NULL AS VARCHAR), count(*)
FROM rpt_outbound_lists_attempts
WHERE load_date = {{load_date}} AND attempt = {{attempt}} AND suppression_flag
GROUP BY set_name, list_name
UNION ALL
SELECT set_name, list_name, 'contacts', CAST(NULL AS VARCHAR), count(*)
FROM rpt_outbound_list_contacts_attempts
WHERE load_date = {{load_date}} AND attempt = {{attempt}}
GROUP BY set_name, list_name
UNION ALL
SELECT set_name, list_name,
       CASE WHEN suppression_type = 'CONTACT' THEN 'contact_drop' ELSE 'suppression' END,
       suppression_reason, count(*)
FROM rpt_outbound_lists_suppression_attempts
WHERE load_date = {{load_date}} AND attempt = {{attempt}}
GROUP BY set_name, list_name, CASE WHEN suppression_type = 'CONTACT' THEN 'contact_drop' ELSE 'suppression' END, suppression_reason
