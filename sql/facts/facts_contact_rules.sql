-- The contact rules of the load date (view contact_rules_raw: contact_rules/asof=D, docs/feeds.md), one row per rule,
-- read fail closed: each flag is true for Y and false for N (trimmed, any case); any other value (empty, `y/n`, `1`)
-- cannot be read and counts as Y (has_unreadable_flag, counted). A rule is in force on D when rule_start_date <= D
-- and (rule_end_date empty or >= D), both ends inclusive; a date that cannot be read, or an empty start, counts as
-- open (the rule applies; has_unreadable_date, counted). reject_reason: a row whose fields are not where the columns
-- say (TOO_FEW_FIELDS / TOO_MANY_FIELDS), MISSING_PAYOFFUID, INVALID_PAYOFFUID: such a rule can be neither applied nor
-- ignored, and the step stops (facts_contact_rule_errors.sql).
WITH rules AS (
  SELECT
    payoffuid,
    upper({{trim_or_empty cease_and_desist}}) AS cease_and_desist_text,
    upper({{trim_or_empty bankruptcy}}) AS bankruptcy_text,
    upper({{trim_or_empty suppress_phone}}) AS suppress_phone_text,
    upper({{trim_or_empty suppress_text}}) AS suppress_text_text,
    upper({{trim_or_empty suppress_letter}}) AS suppress_letter_text,
    upper({{trim_or_empty suppress_email}}) AS suppress_email_text,
    nullif({{trim rule_start_date}}, '') AS start_text,
    nullif({{trim rule_end_date}}, '') AS end_text,
    source_file,
    source_line,
    row_problem
  FROM contact_rules_raw
),
keyed AS (
{{fragment customer_key over rules}}
),
parsed AS (
  SELECT k.*,
    CASE WHEN regexp_like(start_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(start_text AS DATE) END AS start_day,
    CASE WHEN regexp_like(end_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(end_text AS DATE) END AS end_day
  FROM keyed k
)
SELECT
  customer_key,
  cease_and_desist_text <> 'N' AS cease_and_desist,
  bankruptcy_text <> 'N' AS bankruptcy,
  suppress_phone_text <> 'N' AS suppress_phone,
  suppress_text_text <> 'N' AS suppress_text,
  suppress_letter_text <> 'N' AS suppress_letter,
  suppress_email_text <> 'N' AS suppress_email,
  cease_and_desist_text NOT IN ('Y', 'N') OR bankruptcy_text NOT IN ('Y', 'N') OR suppress_phone_text NOT IN ('Y', 'N')
    OR suppress_text_text NOT IN ('Y', 'N') OR suppress_letter_text NOT IN ('Y', 'N') OR suppress_email_text NOT IN ('Y', 'N') AS has_unreadable_flag,
  (start_day IS NULL OR start_day <= {{load_date}}) AND (end_day IS NULL OR end_day >= {{load_date}}) AS in_force,
  start_day IS NULL OR (end_text IS NOT NULL AND end_day IS NULL) AS has_unreadable_date,
  CASE
    WHEN row_problem IS NOT NULL THEN row_problem
    WHEN customer_key IS NULL THEN 'MISSING_PAYOFFUID'
    WHEN regexp_like(payoffuid, '[[:cntrl:]]') THEN 'INVALID_PAYOFFUID'
  END AS reject_reason,
  source_file,
  source_line
FROM parsed
