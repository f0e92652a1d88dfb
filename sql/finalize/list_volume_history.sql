-- Trailing volume of each list before {{load_date}} (domain/run/list-volume.ts): over the published load dates
-- from {{history_start}} to the day before, the dates on which the list had customers and its customers
-- over those dates. Reads the published view, so only each date's published attempt counts.
SELECT set_name, list_name, count(*) AS days, sum(assigned) AS assigned
FROM (
  SELECT set_name, list_name, load_date, count(*) AS assigned
  FROM rpt_outbound_lists
  WHERE load_date >= {{history_start}} AND load_date < {{load_date}}
  GROUP BY set_name, list_name, load_date
) daily
GROUP BY set_name, list_name
