-- Counts of what the customer-facts step read, kept and left out, for the step's result (no row contents).
-- set_aside: the rows counted were not used (quarantined), as opposed to a count of what was read or applied.
SELECT 'loan_tape' AS measure, 'rows' AS detail, count(*) AS row_count, false AS set_aside FROM facts_loan_tape
UNION ALL
SELECT 'loan_tape', reject_reason, count(*), true FROM facts_loan_tape WHERE reject_reason IS NOT NULL GROUP BY reject_reason
UNION ALL
SELECT 'loan_tape', 'duplicate_rows', coalesce(sum(tape_rows - loan_count), 0), true FROM facts_loans
UNION ALL
-- Loans of a customer beside the one it is evaluated on (facts_loans.sql): read, not set aside.
SELECT 'loan_tape', 'other_loans', coalesce(sum(loan_count - 1), 0), false FROM facts_loans
UNION ALL
SELECT 'contacts', coalesce(reject_reason, 'kept'), count(*), reject_reason IS NOT NULL FROM facts_contacts GROUP BY reject_reason
UNION ALL
SELECT 'custom_fields', 'lines', coalesce(sum(lines), 0), false FROM facts_custom_fields
UNION ALL
SELECT 'custom_fields', 'unreadable_lines', coalesce(sum(unreadable_lines), 0), true FROM facts_custom_fields
UNION ALL
SELECT 'custom_fields', 'unknown_account', coalesce(sum(f.lines), 0), true
FROM facts_custom_fields f LEFT JOIN (SELECT DISTINCT account_number FROM facts_loan_tape WHERE reject_reason IS NULL) l ON l.account_number = f.account_number
WHERE f.account_number IS NOT NULL AND l.account_number IS NULL
UNION ALL
-- Lines of a customer's other loans: the customer is evaluated on its primary loan's fields (facts_loans.sql).
SELECT 'custom_fields', 'other_loan_lines', coalesce(sum(f.lines), 0), true
FROM facts_custom_fields f
JOIN (SELECT DISTINCT account_number FROM facts_loan_tape WHERE reject_reason IS NULL) t ON t.account_number = f.account_number
LEFT JOIN facts_loans l ON l.account_number = f.account_number
WHERE l.account_number IS NULL
UNION ALL
SELECT 'custom_fields', 'duplicate_lines', coalesce(sum(lines - 1), 0), true FROM facts_custom_fields WHERE account_number IS NOT NULL
UNION ALL
SELECT 'suppressions', coalesce(reject_reason, CASE WHEN is_active THEN 'active_' || key_type ELSE 'inactive' END), count(*), reject_reason IS NOT NULL
FROM facts_suppressions
GROUP BY coalesce(reject_reason, CASE WHEN is_active THEN 'active_' || key_type ELSE 'inactive' END), reject_reason IS NOT NULL
UNION ALL
SELECT 'suppressions', 'unreadable_date', count(*), false FROM facts_suppressions WHERE has_unreadable_date
UNION ALL
SELECT 'dispositions', 'attempts', coalesce(sum(attempts), 0), false FROM facts_dispositions
UNION ALL
-- How each attempt found its loan (facts_dispositions.sql); unknown_loan: quarantined, counted toward no cap.
SELECT 'dispositions', 'attributed_by_' || attributed_by, sum(attempts), attributed_by = 'unknown_loan' FROM facts_dispositions GROUP BY attributed_by
UNION ALL
-- Counted again toward the caps, not set aside (facts_repeated_attempts.sql).
SELECT 'dispositions', 'repeated_in_another_file_7_days', repeated_rows, false FROM facts_repeated_attempts
UNION ALL
SELECT 'dispositions', 'malformed_rows', coalesce(sum(malformed_rows), 0), false FROM facts_dispositions
UNION ALL
SELECT 'dispositions', 'unknown_channel', coalesce(sum(unknown_channel_attempts), 0), true FROM facts_dispositions
UNION ALL
SELECT 'dispositions', 'unreadable_outcome_value', coalesce(sum(attempts), 0), true FROM facts_outcomes WHERE contact_value IS NULL
UNION ALL
-- Contact rules: every row read; in force on D; read fail closed (a flag or date that cannot be read applies); rules of
-- customers not on the tape (set aside). Rows with a reject_reason stop the step (facts_contact_rule_errors.sql).
SELECT 'contact_rules', 'rows', count(*), false FROM facts_contact_rules
UNION ALL
SELECT 'contact_rules', 'in_force', count(CASE WHEN reject_reason IS NULL AND in_force THEN 1 END), false FROM facts_contact_rules
UNION ALL
SELECT 'contact_rules', 'unreadable_flag', count(CASE WHEN has_unreadable_flag THEN 1 END), false FROM facts_contact_rules
UNION ALL
SELECT 'contact_rules', 'unreadable_date', count(CASE WHEN has_unreadable_date THEN 1 END), false FROM facts_contact_rules
UNION ALL
SELECT 'contact_rules', 'unknown_customer', count(*), true
FROM facts_contact_rules r LEFT JOIN facts_loans l ON l.customer_key = r.customer_key
WHERE r.reject_reason IS NULL AND l.customer_key IS NULL
UNION ALL
-- Payment requests: the requests used (their newest delivery), earlier deliveries of them, rows set aside by reason.
SELECT 'payment_requests', 'requests', count(CASE WHEN is_current THEN 1 END), false FROM facts_payment_requests
UNION ALL
SELECT 'payment_requests', 'superseded_rows', count(CASE WHEN NOT is_current AND reject_reason IS NULL THEN 1 END), false FROM facts_payment_requests
UNION ALL
SELECT 'payment_requests', reject_reason, count(*), true FROM facts_payment_requests WHERE reject_reason IS NOT NULL GROUP BY reject_reason
UNION ALL
SELECT 'payment_requests', 'unreadable_status', count(CASE WHEN has_unreadable_status THEN 1 END), false FROM facts_payment_requests
UNION ALL
SELECT 'payment_requests', 'unreadable_date', count(CASE WHEN has_unreadable_date THEN 1 END), false FROM facts_payment_requests
UNION ALL
-- ZIP suppressions: entries read, in force on D, with a date that cannot be read (applied as open). Rejects stop the step.
SELECT 'zip_suppressions', 'rows', count(*), false FROM facts_zip_suppressions
UNION ALL
SELECT 'zip_suppressions', 'in_force', count(CASE WHEN reject_reason IS NULL AND in_force THEN 1 END), false FROM facts_zip_suppressions
UNION ALL
SELECT 'zip_suppressions', 'unreadable_date', count(CASE WHEN has_unreadable_date THEN 1 END), false FROM facts_zip_suppressions
