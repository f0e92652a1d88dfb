-- The `contacts` rows of the shard files (docs/customer-facts.md): the usable contact records; `shard` last.
SELECT
  payoffuid,
  related_party_type,
  contact_type,
  contact_value,
  CAST(created_at AS VARCHAR) AS created_at,
  suppression_reason,
  wrong_number_count_90d,
  disconnected_count_90d,
  can_send_sms,
  opted_out,
  bounced,
  phone_status,
  phone_technology,
  quality_score,
  lpad(CAST(shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_contacts
WHERE reject_reason IS NULL
UNION ALL
-- The postal address as a contact of the customer (docs/customer-facts.md): one line `address_1, [address_2, ]city,
-- ST zip` of the trimmed parts (state upper case), when address_1, city, state and zip are all present; recorded on
-- the loan tape's date. It is no phone or email: no suppression entry, disposition or consent row is about it.
SELECT
  payoffuid,
  'customer' AS related_party_type,
  'address' AS contact_type,
  trim(address_1) || ', ' || CASE WHEN trim(coalesce(address_2, '')) <> '' THEN trim(address_2) || ', ' ELSE '' END
    || trim(city) || ', ' || upper(trim(state)) || ' ' || trim(zip) AS contact_value,
  CAST(loan_tape_asofdate AS VARCHAR) AS created_at,
  CAST(NULL AS VARCHAR) AS suppression_reason,
  CAST(0 AS BIGINT) AS wrong_number_count_90d,
  CAST(0 AS BIGINT) AS disconnected_count_90d,
  CAST(NULL AS BOOLEAN) AS can_send_sms,
  false AS opted_out,
  false AS bounced,
  CAST(NULL AS VARCHAR) AS phone_status,
  CAST(NULL AS VARCHAR) AS phone_technology,
  CAST(NULL AS INTEGER) AS quality_score,
  lpad(CAST(shard_hash % {{shard_count}} AS VARCHAR), 4, '0') AS shard
FROM facts_loans
WHERE trim(coalesce(address_1, '')) <> '' AND trim(coalesce(city, '')) <> '' AND trim(coalesce(state, '')) <> ''
  AND trim(coalesce(zip, '')) <> '' AND loan_tape_asofdate IS NOT NULL
