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
