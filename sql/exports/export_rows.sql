-- Exports (SPEC §7): the published lists of the day {{load_date}} as the export files need them — one
-- row per contact of each exported customer (customers not suppressed; a customer without contacts
-- gets one row with NULL contact fields), with the published list row and every column of the loan
-- tape row the decision was made on (`tape_<column>`, as delivered), which the list's export template
-- picks from (domain/exports/template.ts): the day's loan tape feed view `loan_tape_raw` (text
-- columns, §3.2, registered by SqlEngine.registerFeeds) matched on payoffuid, account_number and the
-- list row's loan_tape_asofdate; and the customer's own email address of the day's contacts feed.
-- Sorted by list, payoffuid and contact rank: the export step groups a customer's consecutive rows
-- into one record (domain/exports/layout.ts) and merges the unloaded files in this order, so a
-- re-run writes byte-identical files. (Flat rows, not array_agg(… ORDER BY …): ordered aggregates
-- made DuckDB several times slower.) A contact's calling window (UTC TIMESTAMPs, whole seconds) is
-- written as Genesys Cloud's rules compare it with "Relative Time", `yyyy-MM-ddTHH:mm:ssZ`: the first 19
-- characters of the timestamp as text are the same in both engines (Trino adds `.000`).
WITH published AS (
  SELECT set_name, list_name, channel, purpose, payoffuid, account_number, ab_group,
         CAST(load_date AS varchar) AS load_date,
         CAST(calls_allowed_today AS varchar) AS calls_allowed_today,
         CAST(loan_tape_asofdate AS varchar) AS loan_tape_asofdate
  FROM rpt_outbound_lists
  WHERE load_date = {{load_date}} AND suppression_flag = false
),
listed AS (
{{fragment customer_key over published}}
),
-- The customer's own email address (a template's `{ contact: email }`, e.g. the servicer's EMAIL): of the day's
-- contacts feed, read as the facts step reads it (codes trimmed and case-insensitive, the payoffuid as a customer
-- key, the address trimmed and in lower case, `x@y`, a readable created_at), the newest, then the smallest.
contact_records AS (
  SELECT payoffuid,
    lower({{trim_or_empty related_party_type}}) AS related_party_type,
    lower({{trim_or_empty contact_type}}) AS contact_type,
    lower({{trim_or_empty contact_value}}) AS email,
    {{trim_or_empty created_at}} AS created_at_text
  FROM contacts_raw
  WHERE row_problem IS NULL
),
keyed_contacts AS (
{{fragment customer_key over contact_records}}
),
customer_emails AS (
  SELECT customer_key, email,
         row_number() OVER (PARTITION BY customer_key ORDER BY substr(created_at_text, 1, 10) DESC, email) AS pick
  FROM keyed_contacts
  WHERE related_party_type = 'customer' AND contact_type = 'email' AND regexp_like(email, '^[^@]+@[^@]+$')
    AND regexp_like(created_at_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')
),
tape AS (
  SELECT payoffuid, account_number, loan_id, portfolio, loan_status, days_past_due, amount_due, principal_balance, origination_date, next_payment_due_date, charge_off_date, recoveries_paid_to_date, payment_mode, placement_status, next_workable_date, last_collections_contact_date, first_name, last_name, address_1, address_2, city, state, zip, loan_tape_asofdate,
         row_number() OVER (
           PARTITION BY payoffuid, account_number, loan_tape_asofdate
           ORDER BY loan_id, portfolio, loan_status, days_past_due, amount_due, principal_balance, origination_date, next_payment_due_date, charge_off_date, recoveries_paid_to_date, payment_mode, placement_status, next_workable_date, last_collections_contact_date, first_name, last_name, address_1, address_2, city, state, zip
         ) AS copy
  FROM loan_tape_raw
)
SELECT l.set_name, l.list_name, l.channel, l.purpose, l.payoffuid, l.account_number, l.load_date, l.ab_group, l.calls_allowed_today,
       t.payoffuid AS tape_payoffuid,
       t.account_number AS tape_account_number,
       t.loan_id AS tape_loan_id,
       t.portfolio AS tape_portfolio,
       t.loan_status AS tape_loan_status,
       t.days_past_due AS tape_days_past_due,
       t.amount_due AS tape_amount_due,
       t.principal_balance AS tape_principal_balance,
       t.origination_date AS tape_origination_date,
       t.next_payment_due_date AS tape_next_payment_due_date,
       t.charge_off_date AS tape_charge_off_date,
       t.recoveries_paid_to_date AS tape_recoveries_paid_to_date,
       t.payment_mode AS tape_payment_mode,
       t.placement_status AS tape_placement_status,
       t.next_workable_date AS tape_next_workable_date,
       t.last_collections_contact_date AS tape_last_collections_contact_date,
       t.first_name AS tape_first_name,
       t.last_name AS tape_last_name,
       t.address_1 AS tape_address_1,
       t.address_2 AS tape_address_2,
       t.city AS tape_city,
       t.state AS tape_state,
       t.zip AS tape_zip,
       t.loan_tape_asofdate AS tape_loan_tape_asofdate,
       e.email AS customer_email,
       c.contact_rank, c.contact_value, c.contact_type, c.related_party_type, c.timezone,
       replace(substr(CAST(c.window_start_utc AS varchar), 1, 19), ' ', 'T') || 'Z' AS window_start_utc,
       replace(substr(CAST(c.window_end_utc AS varchar), 1, 19), ' ', 'T') || 'Z' AS window_end_utc
FROM listed l
LEFT JOIN tape t
  ON t.payoffuid = l.payoffuid AND t.account_number = l.account_number
  AND t.loan_tape_asofdate = l.loan_tape_asofdate AND t.copy = 1
LEFT JOIN customer_emails e
  ON e.customer_key = l.customer_key AND e.pick = 1
LEFT JOIN rpt_outbound_list_contacts c
  ON c.load_date = {{load_date}} AND c.set_name = l.set_name AND c.list_name = l.list_name AND c.payoffuid = l.payoffuid
ORDER BY l.set_name, l.list_name, l.payoffuid, c.contact_rank, c.contact_value
