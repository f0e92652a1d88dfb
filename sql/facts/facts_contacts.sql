-- One row per contact record of the load date's contacts (view contacts_raw), duplicates kept (the engine
-- drops them with DUPLICATE), with the contact facts of docs/customer-facts.md. Codes are trimmed and read
-- case-insensitively, the payoffuid as a customer key; the value: phones by the phone rule, emails trimmed and
-- in lower case. A record that cannot be used keeps its reject_reason and is not written to the shards:
-- TOO_FEW_FIELDS / TOO_MANY_FIELDS (its fields are not where the columns say), UNKNOWN_CUSTOMER (payoffuid not on the loan tape), INVALID_RELATED_PARTY_TYPE, INVALID_CONTACT_TYPE, PHONE_<reason of the phone rule>, INVALID_EMAIL,
-- INVALID_CREATED_AT.
WITH records AS (
  SELECT
    payoffuid,
    lower({{trim_or_empty related_party_type}}) AS related_party_type,
    lower({{trim_or_empty contact_type}}) AS contact_type,
    contact_value AS value_text,
    {{trim_or_empty created_at}} AS created_at_text,
    row_problem
  FROM contacts_raw
),
keyed AS (
{{fragment customer_key over records}}
),
-- The customer of a record is the loan tape's (its payoffuid as the tape writes it).
contact_rows AS (
  SELECT c.related_party_type, c.contact_type, c.value_text, c.created_at_text, c.row_problem,
    l.payoffuid, l.customer_key, l.account_number, l.shard_hash,
    CASE WHEN c.contact_type IN ('mobile', 'home', 'work') THEN c.value_text END AS phone_raw
  FROM keyed c
  LEFT JOIN facts_loans l ON l.customer_key = c.customer_key
),
contacts AS (
{{fragment phone_normalization over contact_rows}}
),
checked AS (
  SELECT c.*,
    CASE WHEN contact_type = 'email' THEN lower({{trim_or_empty value_text}}) ELSE phone_e164 END AS contact_value,
    CASE WHEN regexp_like(created_at_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(substr(created_at_text, 1, 10) AS DATE) END AS created_day
  FROM contacts c
),
-- Active phone and email entries of the suppression snapshot, whatever their scope; the smallest reason if several.
point_suppressions AS (
  SELECT key_type, suppression_key, min(reason) AS reason
  FROM facts_suppressions
  WHERE key_type IN ('phone', 'email') AND reject_reason IS NULL AND is_active
  GROUP BY key_type, suppression_key
),
consent AS (
  SELECT account_number, phone_number, phone_source, is_deleted, has_sms_consent, phone_status, phone_technology, quality_score
  FROM phone_consent
  WHERE as_of_date = {{load_date}}
),
-- Phones whose SMS consent was withdrawn on another loan of the customer (facts_loans.sql evaluates one): the
-- withdrawal is the person's answer for that number, so it stops texts on the loan evaluated too (fail closed).
withdrawn_on_other_loan AS (
  SELECT DISTINCT t.customer_key, g.phone_number
  FROM (SELECT DISTINCT customer_key, account_number FROM facts_loan_tape WHERE reject_reason IS NULL) t
  JOIN consent g ON g.account_number = t.account_number
  WHERE g.has_sms_consent = false
)
SELECT
  c.payoffuid,
  c.account_number,
  c.shard_hash,
  c.related_party_type,
  c.contact_type,
  c.contact_value,
  c.created_day AS created_at,
  s.reason AS suppression_reason,
  -- Outcomes on the number or address (facts_outcomes.sql), whichever loan it was reached for.
  coalesce(o.wrong_number_count, 0) AS wrong_number_count_90d,
  coalesce(o.disconnected_count, 0) AS disconnected_count_90d,
  -- §4 can_send_sms (decideSms, domain/consent/consent.ts): the gold row of (account, phone) exists, its source is
  -- CLIENT, it is not deleted and its consent is true or unanswered; and not withdrawn on another loan.
  CASE WHEN c.contact_type = 'email' THEN NULL
    ELSE (coalesce(g.phone_source = 'CLIENT' AND NOT g.is_deleted AND coalesce(g.has_sms_consent, true), false) AND w.phone_number IS NULL)
  END AS can_send_sms,
  coalesce(o.opted_out, false) AS opted_out,
  coalesce(o.bounced, false) AS bounced,
  -- The client's facts on the phone, from the gold row of (account, phone): null for emails (no gold row joins
  -- an address) and for phones with no gold row on the account, such as a reference's.
  g.phone_status,
  g.phone_technology,
  g.quality_score,
  CASE
    WHEN c.row_problem IS NOT NULL THEN c.row_problem
    WHEN c.payoffuid IS NULL THEN 'UNKNOWN_CUSTOMER'
    WHEN c.related_party_type NOT IN ('customer', 'reference_customer_parent', 'reference_customer_other') THEN 'INVALID_RELATED_PARTY_TYPE'
    WHEN c.contact_type NOT IN ('mobile', 'home', 'work', 'email') THEN 'INVALID_CONTACT_TYPE'
    WHEN c.contact_type <> 'email' AND c.phone_reject_reason IS NOT NULL THEN 'PHONE_' || c.phone_reject_reason
    WHEN c.contact_type = 'email' AND NOT regexp_like(c.contact_value, '^[^@]+@[^@]+$') THEN 'INVALID_EMAIL'
    WHEN c.created_day IS NULL THEN 'INVALID_CREATED_AT'
  END AS reject_reason
FROM checked c
LEFT JOIN facts_outcomes o ON o.contact_value = c.contact_value
LEFT JOIN point_suppressions s
  ON s.key_type = CASE WHEN c.contact_type = 'email' THEN 'email' ELSE 'phone' END AND s.suppression_key = c.contact_value
LEFT JOIN consent g ON g.account_number = c.account_number AND g.phone_number = c.contact_value
LEFT JOIN withdrawn_on_other_loan w ON w.customer_key = c.customer_key AND w.phone_number = c.contact_value
