-- rpt_outbound_lists_suppression (SPEC §7) for one attempt: the shard decisions' customer-level
-- suppressions and dropped contacts (CONTACT, with contact_value), plus one LIST / LIST_CAPACITY row per
-- customer cut by list shaping.
SELECT suppression_type, suppression_reason, payoffuid, set_name, list_name, contact_value
FROM decision_suppressions
UNION ALL
SELECT 'LIST', 'LIST_CAPACITY', payoffuid, set_name, list_name, CAST(NULL AS VARCHAR)
FROM list_capacity_cuts
