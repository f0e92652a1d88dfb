-- One row per contact record of the load date's contacts (view contacts_raw), duplicates kept (the engine
-- drops them with DUPLICATE), with the contact facts of docs/customer-facts.md. Fields are taken as
-- delivered, except the value: phones by the phone rule, emails trimmed and in lower case. A record that cannot be
-- used keeps its reject_reason and is not written to the shards: UNKNOWN_CUSTOMER (payoffuid not on the loan
-- tape), INVALID_RELATED_PARTY_TYPE, INVALID_CONTACT_TYPE, PHONE_<reason of the phone rule>, INVALID_EMAIL,
-- INVALID_CREATED_AT.
WITH contact_rows AS (
  SELECT c.*, l.payoffuid AS customer_payoffuid, l.account_number, l.shard_hash,
    CASE WHEN c.contact_type IN ('mobile', 'home', 'work') THEN c.value_text END AS phone_raw
  FROM (
    SELECT
      nullif(payoffuid, '') AS payoffuid,
      coalesce(related_party_type, '') AS related_party_type,
      coalesce(contact_type, '') AS contact_type,
      contact_value AS value_text,
      created_at AS created_at_text
    FROM contacts_raw
  ) c
  LEFT JOIN facts_loans l ON l.payoffuid = c.payoffuid
),
contacts AS (
{{fragment phone_normalization over contact_rows}}
),
checked AS (
  SELECT c.*,
    CASE WHEN contact_type = 'email' THEN lower(trim(coalesce(value_text, ''), chr(9) || chr(10) || chr(13) || chr(32))) ELSE phone_e164 END AS contact_value,
    CASE WHEN regexp_like(created_at_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(substr(created_at_text, 1, 10) AS DATE) END AS created_day
  FROM contacts c
),
-- Outcomes on a contact point in the 90 days (facts_dispositions.sql), its value normalised like the contacts'.
outcome_rows AS (
  SELECT account_number, channel, outcome, attempts, contact_value AS value_text,
    CASE WHEN channel IN ('call', 'sms') THEN contact_value END AS phone_raw
  FROM facts_dispositions
  WHERE outcome IS NOT NULL AND channel IN ('call', 'sms', 'email')
),
outcomes AS (
  SELECT account_number, outcome, attempts,
    CASE WHEN channel = 'email' THEN lower(trim(coalesce(value_text, ''), chr(9) || chr(10) || chr(13) || chr(32))) ELSE phone_e164 END AS contact_value
  FROM (
{{fragment phone_normalization over outcome_rows}}
  ) o
),
-- A wrong number is wrong for the account it was dialled for; a disconnected number, an opt-out or a bounce
-- is a fact about the number or address, whichever account it was reached for. Values that cannot be read
-- (NULL) form a group no contact joins; they are not filtered out, since a filter on the normalised value
-- makes DuckDB evaluate the whole phone rule again inside the filter.
wrong_numbers AS (
  SELECT account_number, contact_value, sum(attempts) AS wrong_number_count
  FROM outcomes
  WHERE outcome = 'WRONG_NUMBER'
  GROUP BY account_number, contact_value
),
point_outcomes AS (
  SELECT contact_value,
    sum(CASE WHEN outcome = 'DISCONNECTED' THEN attempts ELSE 0 END) AS disconnected_count,
    max(CASE WHEN outcome = 'OPT_OUT' THEN 1 ELSE 0 END) AS opted_out,
    max(CASE WHEN outcome = 'BOUNCED' THEN 1 ELSE 0 END) AS bounced
  FROM outcomes
  WHERE outcome <> 'WRONG_NUMBER'
  GROUP BY contact_value
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
  CAST(coalesce(w.wrong_number_count, 0) AS BIGINT) AS wrong_number_count_90d,
  CAST(coalesce(p.disconnected_count, 0) AS BIGINT) AS disconnected_count_90d,
  -- §4 can_send_sms (decideSms, domain/consent.ts): the gold row of (account, phone) exists, its source is
  -- CLIENT, it is not deleted and its consent is true or unanswered.
  CASE WHEN c.contact_type = 'email' THEN NULL
    ELSE coalesce(g.phone_source = 'CLIENT' AND NOT g.is_deleted AND coalesce(g.has_sms_consent, true), false)
  END AS can_send_sms,
  coalesce(p.opted_out, 0) = 1 AS opted_out,
  coalesce(p.bounced, 0) = 1 AS bounced,
  -- The client's facts on the phone, from the gold row of (account, phone): null for emails (no gold row joins
  -- an address) and for phones with no gold row on the account, such as a reference's.
  g.phone_status,
  g.phone_technology,
  g.quality_score,
  CASE
    WHEN c.customer_payoffuid IS NULL THEN 'UNKNOWN_CUSTOMER'
    WHEN c.related_party_type NOT IN ('customer', 'reference_customer_parent', 'reference_customer_other') THEN 'INVALID_RELATED_PARTY_TYPE'
    WHEN c.contact_type NOT IN ('mobile', 'home', 'work', 'email') THEN 'INVALID_CONTACT_TYPE'
    WHEN c.contact_type <> 'email' AND c.phone_reject_reason IS NOT NULL THEN 'PHONE_' || c.phone_reject_reason
    WHEN c.contact_type = 'email' AND NOT regexp_like(c.contact_value, '^[^@]+@[^@]+$') THEN 'INVALID_EMAIL'
    WHEN c.created_day IS NULL THEN 'INVALID_CREATED_AT'
  END AS reject_reason
FROM checked c
LEFT JOIN wrong_numbers w ON w.account_number = c.account_number AND w.contact_value = c.contact_value
LEFT JOIN point_outcomes p ON p.contact_value = c.contact_value
LEFT JOIN point_suppressions s
  ON s.key_type = CASE WHEN c.contact_type = 'email' THEN 'email' ELSE 'phone' END AND s.suppression_key = c.contact_value
LEFT JOIN consent g ON g.account_number = c.account_number AND g.phone_number = c.contact_value
