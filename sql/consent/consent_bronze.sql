-- Bronze: the three consent exports (§3.1) read this run, as typed rows, one per data line. Every row keeps
-- its feed and file date (the first 8 digits of the timestamp in the file name, from the run's list of exports). The engines expose each
-- feed as its §3.1 columns without the SSN and name columns, which never leave the file reader (§3.1 PII).
-- Valid rows keep only what the carried state needs; rejected rows keep their file, their non-PII raw
-- values and the first failing reason (docs/consent-sql.md).
WITH fields AS (
  SELECT a.*, CAST(r.file_date AS DATE) AS file_date
  FROM (
      SELECT 'ENRLMT' AS feed, source_file, account_number AS account_raw, CAST(NULL AS VARCHAR) AS record_id_raw,
        phone_number AS phone_raw, phone_type AS type_raw, phone_status AS status_raw, phone_source AS source_raw,
        phone_technology AS technology_raw, quality_score AS quality_raw, CAST(NULL AS VARCHAR) AS consent_raw,
        CAST(NULL AS VARCHAR) AS consent_date_raw, CAST(NULL AS VARCHAR) AS delete_raw, enrollment_date AS record_date_raw,
        agency_id AS agency_raw
      FROM consent_raw_enrollment
      UNION ALL
      SELECT 'NON-FIN-BDL', source_file, cnsmr_idntfr_lgcy_txt, cnsmr_phn_id, cnsmr_phn_nmbr_txt, cnsmr_phn_typ_val_txt,
        cnsmr_phn_stts_val_txt, cnsmr_phn_src_val_txt, cnsmr_phn_tchnlgy_typ_val_txt, cnsmr_phn_qlty_score_nmbr,
        cnsmr_phn_cnsnt_flg, cnsmr_phn_cnsnt_dt, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), cnsmr_idntfr_agncy_id
      FROM consent_raw_nonfin
      UNION ALL
      SELECT 'SUPPLFWD', source_file, cnsmr_idntfr_lgcy_txt, cnsmr_phn_hst_id, cnsmr_phn_nmbr_txt, cnsmr_phn_typ_val_txt,
        cnsmr_phn_stts_val_txt, cnsmr_phn_src_val_txt, cnsmr_phn_tchnlgy_typ_val_txt, cnsmr_phn_qlty_score_nmbr,
        cnsmr_phn_cnsnt_flg, cnsmr_phn_cnsnt_dt, cnsmr_phn_sft_dlt_flg, record_date, cnsmr_idntfr_agncy_id
      FROM consent_raw_supplfwd
  ) a
  -- The file date of each export read, from its name (domain/consent/consent-feeds.ts): the run's list of exports.
  JOIN consent_files_read r ON r.source_file = a.source_file
  -- A line whose non-PII fields are all empty is blank, not a record.
  WHERE coalesce(account_raw, '') <> '' OR coalesce(record_id_raw, '') <> '' OR coalesce(phone_raw, '') <> ''
      OR coalesce(type_raw, '') <> '' OR coalesce(status_raw, '') <> '' OR coalesce(source_raw, '') <> ''
      OR coalesce(technology_raw, '') <> '' OR coalesce(quality_raw, '') <> '' OR coalesce(consent_raw, '') <> ''
      OR coalesce(consent_date_raw, '') <> '' OR coalesce(delete_raw, '') <> '' OR coalesce(record_date_raw, '') <> ''
      OR coalesce(agency_raw, '') <> ''
),
-- Fields are trimmed of tab, line feed, carriage return and space, a missing field (NULL) read as ''; trim() is
-- the costly part, so the macros skip it for a value with no blank at either end and for a valid code
-- (sql/sql-files.ts). The phone is trimmed by the phone rule (sql/fragments/phone_normalization.sql).
trimmed AS (
  SELECT f.*,
    {{trim_or_empty account_raw}} AS account_id,
    {{trim_or_empty record_id_raw}} AS record_id,
    {{trim_code type_raw among ('CELL', 'HOME', 'WORK', 'OTHER')}} AS phone_type_code,
    {{trim_code status_raw among ('ACTIVE', 'INACTIVE', 'DISCONNECTED')}} AS phone_status,
    {{trim_code source_raw among ('CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER')}} AS phone_source,
    {{trim_code technology_raw among ('WIRELESS', 'LANDLINE', 'VOIP')}} AS phone_technology,
    {{trim_or_empty quality_raw}} AS quality_text,
    {{trim_code consent_raw among ('Y', 'N')}} AS sms_consent_flag,
    {{trim_or_empty consent_date_raw}} AS consent_date_text,
    {{trim_code delete_raw among ('Y', 'N')}} AS soft_delete_flag,
    {{trim_or_empty record_date_raw}} AS record_date_text
  FROM fields f
),
-- The phone rule, shared with every statement that reads a phone (docs/phone-normalization.md).
phones AS (
{{fragment phone_normalization over trimmed}}
),
checked AS (
  SELECT p.*,
    CASE WHEN regexp_like(record_date_text, '^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$') THEN try_cast(record_date_text AS DATE) END AS record_date,
    CASE WHEN regexp_like(consent_date_text, '^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$') THEN try_cast(consent_date_text AS DATE) END AS consent_date,
    CASE WHEN regexp_like(quality_text, '^[0-9]{1,3}$') THEN CAST(quality_text AS INTEGER) END AS quality_score
  FROM phones p
),
judged AS (
  SELECT c.*,
    CASE
      WHEN feed = 'ENRLMT' AND NOT regexp_like(account_id, '^[0-9]{16}$') THEN 'INVALID_ACCOUNT'
      WHEN feed <> 'ENRLMT' AND NOT regexp_like(account_id, '^[0-9]{16}P$') THEN
        CASE WHEN regexp_like(account_id, '^[0-9]{16}[A-Z]$') THEN 'NOT_PRIMARY_CONSUMER' ELSE 'INVALID_ACCOUNT' END
      WHEN phone_reject_reason IS NOT NULL THEN 'PHONE_' || phone_reject_reason
      WHEN feed = 'NON-FIN-BDL' AND record_id = '' THEN 'INVALID_PHONE_ID'
      WHEN phone_type_code NOT IN ('CELL', 'HOME', 'WORK', 'OTHER') THEN 'INVALID_PHONE_TYPE'
      WHEN phone_status NOT IN ('ACTIVE', 'INACTIVE', 'DISCONNECTED') THEN 'INVALID_PHONE_STATUS'
      WHEN phone_source NOT IN ('CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER') THEN 'INVALID_PHONE_SOURCE'
      WHEN phone_technology NOT IN ('WIRELESS', 'LANDLINE', 'VOIP') THEN 'INVALID_PHONE_TECHNOLOGY'
      WHEN quality_text <> '' AND (quality_score IS NULL OR quality_score < 1 OR quality_score > 100) THEN 'INVALID_QUALITY_SCORE'
      WHEN sms_consent_flag NOT IN ('Y', 'N', '') THEN 'INVALID_CONSENT_FLAG'
      WHEN consent_date_text <> '' AND (consent_date IS NULL OR consent_date > file_date) THEN 'INVALID_CONSENT_DATE'
      WHEN feed = 'SUPPLFWD' AND soft_delete_flag NOT IN ('Y', 'N') THEN 'INVALID_DELETE_FLAG'
      WHEN feed <> 'NON-FIN-BDL' AND (record_date IS NULL OR record_date > file_date) THEN 'INVALID_DATE'
    END AS reject_reason
  FROM checked c
  WHERE file_date <= {{as_of_date}}
)
-- Valid rows: the account and national phone as numbers, the event date, and the record as one number,
-- record_key (docs/consent-sql.md "Record key"): the event day, then the feed (SUPPLFWD wins a tie), then the
-- values from the most restrictive down; the greatest key of an (account, phone) is its winner.
SELECT
  feed,
  file_date,
  reject_reason,
  CASE WHEN reject_reason IS NULL THEN CAST(substr(account_id, 1, 16) AS BIGINT) END AS account_key,
  CASE WHEN reject_reason IS NULL THEN CAST(national AS BIGINT) END AS phone_key,
  -- The NON-FIN-BDL phone record id, exactly, in two columns: as a number when it is written as one (no sign, no
  -- leading zero, at most 18 digits; the client's ids are), else as text. Grouping and joining on a BIGINT cost far
  -- less than on text, and `1` and `01` stay two ids.
  CASE WHEN reject_reason IS NULL AND feed = 'NON-FIN-BDL' AND regexp_like(record_id, '^[1-9][0-9]{0,17}$')
    THEN CAST(record_id AS BIGINT) END AS phone_id_number,
  CASE WHEN reject_reason IS NULL AND feed = 'NON-FIN-BDL' AND NOT regexp_like(record_id, '^[1-9][0-9]{0,17}$')
    THEN record_id END AS phone_id_text,
  CASE WHEN reject_reason IS NULL THEN CASE WHEN feed = 'NON-FIN-BDL' THEN file_date ELSE record_date END END AS event_date,
  CASE WHEN reject_reason IS NULL THEN
    date_diff('day', DATE '1900-01-01', CASE WHEN feed = 'NON-FIN-BDL' THEN file_date ELSE record_date END) * {{record_key_unit event_day}}
      + CASE feed WHEN 'SUPPLFWD' THEN {{record_key_unit is_supplfwd}} ELSE 0 END
      + CASE soft_delete_flag WHEN 'Y' THEN {{record_key_unit is_soft_delete}} ELSE 0 END
      + CASE sms_consent_flag WHEN 'N' THEN 2 WHEN 'Y' THEN 1 ELSE 0 END * {{record_key_unit consent_code}}
      + CASE phone_status WHEN 'DISCONNECTED' THEN 2 WHEN 'INACTIVE' THEN 1 ELSE 0 END * {{record_key_unit status_code}}
      + CASE phone_type_code WHEN 'HOME' THEN 0 WHEN 'CELL' THEN 1 WHEN 'OTHER' THEN 2 ELSE 3 END * {{record_key_unit type_code}}
      + CASE phone_source WHEN 'CLIENT' THEN 0 WHEN 'CONSUMER' THEN 1 WHEN 'OTHER' THEN 2 ELSE 3 END * {{record_key_unit source_code}}
      + CASE phone_technology WHEN 'WIRELESS' THEN 0 WHEN 'VOIP' THEN 1 ELSE 2 END * {{record_key_unit technology_code}}
      + coalesce(101 - quality_score, 127) * {{record_key_unit quality_code}}
      + coalesce(date_diff('day', DATE '1900-01-01', consent_date) + 1, 0)
  END AS record_key,
  CASE WHEN reject_reason IS NOT NULL THEN source_file END AS source_file,
  -- A rejected row's non-PII fields as read, in the feed's §3.1 order, joined by '|' (one column: rejects are
  -- rare, and every valid row would otherwise carry a dozen empty ones).
  CASE WHEN reject_reason IS NOT NULL THEN
    CASE feed
      WHEN 'ENRLMT' THEN coalesce(account_raw, '') || '|' || coalesce(agency_raw, '') || '|' || coalesce(phone_raw, '') || '|'
        || coalesce(type_raw, '') || '|' || coalesce(technology_raw, '') || '|' || coalesce(status_raw, '') || '|' || coalesce(source_raw, '')
        || '|' || coalesce(quality_raw, '') || '|' || coalesce(record_date_raw, '')
      ELSE coalesce(record_id_raw, '') || '|' || coalesce(account_raw, '') || '|' || coalesce(agency_raw, '') || '|' || coalesce(phone_raw, '')
        || '|' || coalesce(type_raw, '') || '|' || coalesce(status_raw, '') || '|' || coalesce(source_raw, '') || '|' || coalesce(technology_raw, '')
        || '|' || coalesce(quality_raw, '') || '|' || coalesce(consent_raw, '') || '|' || coalesce(consent_date_raw, '')
        || CASE WHEN feed = 'SUPPLFWD' THEN '|' || coalesce(delete_raw, '') || '|' || coalesce(record_date_raw, '') ELSE '' END
    END
  END AS raw_fields
FROM judged
