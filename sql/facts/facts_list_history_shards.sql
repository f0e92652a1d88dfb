-- The `list_history` rows of the shard files: one per customer and list-history fact with a value (facts_list_history.sql);
-- a fact without a row is null. `shard` last.
SELECT payoffuid, name, days, lpad(CAST(shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_list_history
