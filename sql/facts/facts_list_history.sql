-- List history (docs/customer-facts.md): for each list-history fact of the configuration (run-scoped table
-- facts_list_history_lists: fact_name, set_name, list_name, lookback_days — the configuration's declarations as data)
-- and each customer on the tape, the days from the load date D back to the latest PUBLISHED load date in
-- D - lookback_days … D - 1 on which the customer had a row on one of the fact's lists with suppression_flag = false
-- (kept). Reads the published view rpt_outbound_lists (each date's published attempt only); D itself is never read,
-- so a re-run of D gives the same values whatever D's earlier attempts published. A customer with no such row has no
-- row here (the fact is null). Customers are matched by the customer key (sql/fragments/customer_key.sql).
WITH kept AS (
  SELECT h.payoffuid, h.load_date, d.fact_name, d.lookback_days
  FROM rpt_outbound_lists h
  JOIN facts_list_history_lists d ON d.set_name = h.set_name AND d.list_name = h.list_name
  WHERE h.load_date >= {{history_start}} AND h.load_date < {{load_date}} AND h.suppression_flag = false
),
keyed AS (
{{fragment customer_key over kept}}
)
SELECT l.payoffuid, l.shard_hash, k.fact_name AS name, CAST(min(date_diff('day', k.load_date, {{load_date}})) AS BIGINT) AS days
FROM keyed k
JOIN facts_loans l ON l.customer_key = k.customer_key
WHERE date_diff('day', k.load_date, {{load_date}}) BETWEEN 1 AND k.lookback_days
GROUP BY l.payoffuid, l.shard_hash, k.fact_name
