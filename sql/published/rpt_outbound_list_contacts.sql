-- rpt_outbound_list_contacts (SPEC §7): the published attempt of every load date (docs/finalize.md).
SELECT t.load_date, t.set_name, t.list_name, t.payoffuid, t.related_party_type, t.contact_type, t.contact_value,
       t.contact_rank, t.timezone, t.window_start_utc, t.window_end_utc
FROM rpt_outbound_list_contacts_attempts t
JOIN publications p ON CAST(p.load_date AS DATE) = t.load_date AND p.attempt = t.attempt
