-- Exports (SPEC §7): the published lists of the day {{load_date}} as the export files need them — one
-- row per contact of each exported customer (customers not suppressed; a customer without contacts
-- gets one row with NULL contact fields), with the loan-tape fields the dialer shows. Names,
-- portfolio, days past due and amount due come from the loan tape row the decision was made on: the
-- day's loan tape feed view `loan_tape_raw` (text columns, §3.2, registered by
-- SqlEngine.registerFeeds) matched on payoffuid, account_number and the list row's loan_tape_asofdate.
-- Sorted by list, payoffuid and contact rank: the export step groups a customer's consecutive rows
-- into one record (domain/exports/layout.ts) and merges the unloaded files in this order, so a
-- re-run writes byte-identical files. (Flat rows, not array_agg(… ORDER BY …): ordered aggregates
-- made DuckDB several times slower.) A contact's calling window (UTC TIMESTAMPs, whole seconds) is
-- written as Genesys Cloud's rules compare it with "Relative Time", `yyyy-MM-ddTHH:mm:ssZ`: the first 19
-- characters of the timestamp as text are the same in both engines (Trino adds `.000`).
WITH listed AS (
  SELECT set_name, list_name, channel, payoffuid, account_number, ab_group,
         CAST(calls_allowed_today AS varchar) AS calls_allowed_today,
         CAST(loan_tape_asofdate AS varchar) AS loan_tape_asofdate
  FROM rpt_outbound_lists
  WHERE load_date = {{load_date}} AND suppression_flag = false
),
tape AS (
  SELECT payoffuid, account_number, loan_tape_asofdate, first_name, last_name, portfolio, days_past_due, amount_due,
         row_number() OVER (
           PARTITION BY payoffuid, account_number, loan_tape_asofdate
           ORDER BY first_name, last_name, portfolio, days_past_due, amount_due
         ) AS copy
  FROM loan_tape_raw
)
SELECT l.set_name, l.list_name, l.channel, l.payoffuid, l.account_number,
       t.first_name, t.last_name, t.portfolio, t.days_past_due, t.amount_due, l.ab_group, l.calls_allowed_today,
       c.contact_rank, c.contact_value, c.contact_type, c.related_party_type, c.timezone,
       replace(substr(CAST(c.window_start_utc AS varchar), 1, 19), ' ', 'T') || 'Z' AS window_start_utc,
       replace(substr(CAST(c.window_end_utc AS varchar), 1, 19), ' ', 'T') || 'Z' AS window_end_utc
FROM listed l
LEFT JOIN tape t
  ON t.payoffuid = l.payoffuid AND t.account_number = l.account_number
  AND t.loan_tape_asofdate = l.loan_tape_asofdate AND t.copy = 1
LEFT JOIN rpt_outbound_list_contacts c
  ON c.load_date = {{load_date}} AND c.set_name = l.set_name AND c.list_name = l.list_name AND c.payoffuid = l.payoffuid
ORDER BY l.set_name, l.list_name, l.payoffuid, c.contact_rank, c.contact_value
