-- rpt_outbound_lists (SPEC §7): the published attempt of every load date (docs/finalize.md).
SELECT t.load_date, t.set_name, t.list_name, t.payoffuid, t.account_number, t.suppression_flag,
       t.loan_tape_asofdate, t.channel, t.purpose, t.ab_group, t.run_id, t.state, t.calls_allowed_today
FROM rpt_outbound_lists_attempts t
JOIN publications p ON CAST(p.load_date AS DATE) = t.load_date AND p.attempt = t.attempt
