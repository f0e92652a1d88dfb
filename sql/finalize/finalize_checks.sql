-- Data-quality gates of Finalize (docs/finalize.md), one row: the decision row counts (compared with the
-- shard results) and counts of rows that must not exist; any of the latter above 0 fails the run before
-- anything is published.
WITH lists AS (
  SELECT count(*) AS decision_lists,
         count(CASE WHEN load_date <> {{load_date_text}} OR run_id <> {{run_id}} THEN 1 END) AS of_another_run
  FROM decision_lists
),
contacts AS (
  SELECT count(*) AS decision_contacts, count(CASE WHEN load_date <> {{load_date_text}} THEN 1 END) AS of_another_run
  FROM decision_contacts
),
suppressions AS (
  SELECT count(*) AS decision_suppressions,
         count(CASE WHEN load_date <> {{load_date_text}} THEN 1 END) AS of_another_run,
         count(CASE WHEN suppression_reason IS NULL OR suppression_reason = '' THEN 1 END) AS without_reason
  FROM decision_suppressions
),
several_lists AS (
  SELECT count(*) AS customers
  FROM (SELECT set_name, payoffuid FROM decision_lists GROUP BY set_name, payoffuid HAVING count(*) > 1) d
),
orphan_contacts AS (
  SELECT count(*) AS contacts
  FROM decision_contacts c
  LEFT JOIN decision_lists l
    ON l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid AND NOT l.suppression_flag
  WHERE l.payoffuid IS NULL
),
unordered AS (
  SELECT count(*) AS rows_without_order
  FROM decision_lists l
  JOIN list_capacity c ON c.set_name = l.set_name AND c.list_name = l.list_name
  WHERE l.shaping_order IS NULL
)
SELECT lists.decision_lists, contacts.decision_contacts, suppressions.decision_suppressions,
       lists.of_another_run + contacts.of_another_run + suppressions.of_another_run AS rows_of_another_run,
       several_lists.customers AS customers_on_several_lists_of_a_set,
       orphan_contacts.contacts AS contacts_without_unsuppressed_customer,
       suppressions.without_reason AS suppressions_without_reason,
       unordered.rows_without_order AS capacity_rows_without_shaping_order
FROM lists
CROSS JOIN contacts
CROSS JOIN suppressions
CROSS JOIN several_lists
CROSS JOIN orphan_contacts
CROSS JOIN unordered
