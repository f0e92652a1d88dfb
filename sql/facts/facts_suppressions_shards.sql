-- The `suppressions` rows of the shard files: the active, valid payoffuid entries of the snapshot for
-- customers on the loan tape, each distinct entry once; `shard` last.
SELECT DISTINCT
  l.payoffuid,
  s.scope,
  s.set_name,
  s.list_name,
  s.reason,
  lpad(CAST(l.shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_suppressions s
JOIN facts_loans l ON l.customer_key = s.suppression_key
WHERE s.key_type = 'payoffuid' AND s.reject_reason IS NULL AND s.is_active
