-- The phone rule (docs/phone-normalization.md), step by step exactly as normalizePhone (domain/values/phone.ts),
-- shared by every statement that reads a phone. Input: relation {{input}} with the text column phone_raw
-- (NULL reads as empty). Adds phone_text (trimmed), digits, national, phone_reject_reason (EMPTY,
-- INVALID_CHARACTERS, INVALID_LENGTH, NOT_NANP; NULL when valid) and phone_e164 (NULL when rejected).
SELECT checked.*, CASE WHEN phone_reject_reason IS NULL THEN '+1' || national END AS phone_e164
FROM (
  SELECT nat.*,
    CASE
      WHEN phone_text = '' THEN 'EMPTY'
      WHEN NOT phone_chars_ok THEN 'INVALID_CHARACTERS'
      WHEN NOT has_country_code AND substr(phone_text, 1, 1) = '+' THEN 'NOT_NANP'
      WHEN length(national) <> 10 THEN 'INVALID_LENGTH'
      -- national is 10 ASCII digits here: area code and exchange must not start with 0 or 1, no N11 area code.
      WHEN substr(national, 1, 1) <= '1' OR substr(national, 4, 1) <= '1' OR substr(national, 2, 2) = '11' THEN 'NOT_NANP'
    END AS phone_reject_reason
  FROM (
    SELECT dig.*,
      length(digits) = 11 AND substr(digits, 1, 1) = '1' AS has_country_code,
      CASE WHEN length(digits) = 11 AND substr(digits, 1, 1) = '1' THEN substr(digits, 2) ELSE digits END AS national
    FROM (
      SELECT txt.*,
        phone_clean OR regexp_like(phone_text, '^\+?[0-9 ().-]+$') AS phone_chars_ok,
        regexp_replace(phone_text, '[^0-9]', '') AS digits
      FROM (
        -- Trims exactly what JavaScript's String.prototype.trim does. A clean value (below) is its own trim.
        SELECT clean.*,
          CASE WHEN phone_clean THEN phone_raw
            ELSE trim(coalesce(phone_raw, ''), chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(160) || chr(5760)
              || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200)
              || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288) || chr(65279))
          END AS phone_text
        FROM (
          -- Clean: only allowed characters, the first and last no space (most phones as written): no trim is
          -- needed, and the characters need no second test. \z, not $: Trino's $ also matches before a final
          -- line break.
          SELECT src.*, regexp_like(coalesce(phone_raw, ''), '^\+?[0-9().-]([0-9 ().-]*[0-9().-])?\z') AS phone_clean
          FROM {{input}} src
        ) clean
      ) txt
    ) dig
  ) nat
) checked
