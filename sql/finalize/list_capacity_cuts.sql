-- List shaping (SPEC §7, docs/finalize.md): the customers each list with a target_size cannot keep.
-- A list keeps at most target_size of its unsuppressed customers. Ranking, per list:
--   census_state: the Webster (Sainte-Laguë) divisor method over the states' census populations: the
--     k-th customer of state s (in the seeded order) has priority (2k - 1) / population(s); lower first.
--     A state that runs out of customers simply stops taking places, so its unfilled quota goes to the
--     other states in proportion to their populations. Customers whose state has no census population
--     (unknown, territories) come after all the others.
--   no distribution: the seeded order alone.
-- The seeded order is the decision row's shaping_order (seeded by load date, set and list), then payoffuid.
-- Customers ranked after target_size are cut.
WITH eligible AS (
  SELECT l.set_name, l.list_name, l.payoffuid, l.shaping_order, c.target_size, p.population,
         CASE WHEN c.census THEN l.state END AS quota_state
  FROM decision_lists l
  JOIN list_capacity c ON c.set_name = l.set_name AND c.list_name = l.list_name
  LEFT JOIN state_population p ON c.census AND p.state = l.state
  WHERE NOT l.suppression_flag
),
candidates AS (
  SELECT set_name, list_name, payoffuid, shaping_order, target_size, population,
         row_number() OVER (PARTITION BY set_name, list_name, quota_state ORDER BY shaping_order, payoffuid) AS state_rank
  FROM eligible
),
ranked AS (
  SELECT set_name, list_name, payoffuid, target_size,
         row_number() OVER (
           PARTITION BY set_name, list_name
           ORDER BY CAST(2 * state_rank - 1 AS DOUBLE) / CAST(population AS DOUBLE) ASC NULLS LAST, shaping_order, payoffuid
         ) AS list_rank
  FROM candidates
)
SELECT set_name, list_name, payoffuid
FROM ranked
WHERE list_rank > target_size
