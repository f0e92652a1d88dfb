-- rpt_outbound_lists_suppression (SPEC §7): the published attempt of every load date (docs/finalize.md).
SELECT t.load_date, t.suppression_type, t.suppression_reason, t.payoffuid, t.set_name, t.list_name, t.contact_value
FROM rpt_outbound_lists_suppression_attempts t
JOIN publications p ON CAST(p.load_date AS DATE) = t.load_date AND p.attempt = t.attempt
