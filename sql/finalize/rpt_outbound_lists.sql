-- rpt_outbound_lists (SPEC §7) for one attempt: every assignment of the shard decisions; customers cut by
-- list shaping are suppressed. The partition columns load_date and attempt come from the partition.
SELECT l.set_name, l.list_name, l.payoffuid, l.account_number,
       l.suppression_flag OR k.payoffuid IS NOT NULL AS suppression_flag,
       CAST(l.loan_tape_asofdate AS DATE) AS loan_tape_asofdate,
       l.channel, l.purpose, l.ab_group, l.run_id, l.state, l.calls_allowed_today
FROM decision_lists l
LEFT JOIN list_capacity_cuts k
  ON k.set_name = l.set_name AND k.list_name = l.list_name AND k.payoffuid = l.payoffuid
