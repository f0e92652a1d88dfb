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
