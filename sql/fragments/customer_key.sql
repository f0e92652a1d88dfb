-- The customer key (docs/customer-facts.md "Customer ids"): a payoffuid compared as §3.2 says, case-insensitively
-- and with or without its dashes, after trimming. Input: relation {{input}} with the text column payoffuid.
-- Adds customer_key (NULL when the payoffuid is empty).
SELECT keyed.*,
  nullif(lower(replace({{trim_or_empty payoffuid}}, '-', '')), '') AS customer_key
FROM {{input}} keyed
