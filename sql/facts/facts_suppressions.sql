-- The entries of the suppression snapshot (view suppressions_raw), checked, with codes read case-insensitively
-- (scope and reason in upper case, key_type in lower case), the key normalised (phone: E.164 by the phone
-- rule; email: trimmed, lower case; payoffuid: the customer key, sql/fragments/customer_key.sql) and whether the entry is active
-- on the load date: start_date <= D and (end_date empty or >= D), both ends inclusive. A date that cannot be
-- read counts as open (the entry applies: fail closed); an entry without a reason gets UNSPECIFIED.
-- Rejected entries keep their reason (reject_reason) for facts_summary.sql.
WITH entries AS (
  SELECT
    nullif(upper({{trim scope}}), '') AS scope,
    nullif({{trim set_name}}, '') AS set_name,
    nullif({{trim list_name}}, '') AS list_name,
    nullif(lower({{trim key_type}}), '') AS key_type,
    nullif({{trim key}}, '') AS key_text,
    nullif(upper({{trim reason}}), '') AS reason_text,
    nullif({{trim start_date}}, '') AS start_text,
    nullif({{trim end_date}}, '') AS end_text,
    key AS phone_raw,
    key AS payoffuid,
    source_file,
    source_line,
    row_problem
  FROM suppressions_raw
),
customers AS (
{{fragment customer_key over entries}}
),
keyed AS (
{{fragment phone_normalization over customers}}
),
checked AS (
  SELECT k.*,
    CASE WHEN regexp_like(start_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(start_text AS DATE) END AS start_day,
    CASE WHEN regexp_like(end_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(end_text AS DATE) END AS end_day,
    CASE
      WHEN row_problem IS NOT NULL THEN row_problem
      WHEN scope IS NULL OR scope NOT IN ('GLOBAL', 'SET', 'LIST') THEN 'INVALID_SCOPE'
      WHEN scope <> 'GLOBAL' AND set_name IS NULL THEN 'MISSING_SET_NAME'
      WHEN scope = 'LIST' AND list_name IS NULL THEN 'MISSING_LIST_NAME'
      WHEN key_type IS NULL OR key_type NOT IN ('payoffuid', 'phone', 'email') THEN 'INVALID_KEY_TYPE'
      WHEN key_text IS NULL THEN 'MISSING_KEY'
      WHEN key_type = 'phone' AND phone_reject_reason IS NOT NULL THEN 'PHONE_' || phone_reject_reason
      WHEN key_type = 'email' AND NOT regexp_like(lower(key_text), '^[^@]+@[^@]+$') THEN 'INVALID_EMAIL'
    END AS reject_reason
  FROM keyed k
)
SELECT
  scope,
  CASE WHEN scope <> 'GLOBAL' THEN set_name END AS set_name,
  CASE WHEN scope = 'LIST' THEN list_name END AS list_name,
  key_type,
  CASE key_type WHEN 'phone' THEN phone_e164 WHEN 'email' THEN lower(key_text) ELSE customer_key END AS suppression_key,
  coalesce(reason_text, 'UNSPECIFIED') AS reason,
  reject_reason,
  (start_day IS NULL OR start_day <= {{load_date}}) AND (end_day IS NULL OR end_day >= {{load_date}}) AS is_active,
  (start_text IS NOT NULL AND start_day IS NULL) OR (end_text IS NOT NULL AND end_day IS NULL) AS has_unreadable_date,
  source_file,
  source_line
FROM checked
