-- Bronze: the three consent feeds (§3.1) as typed rows, one per data line of every file dated on or
-- before the load date. Every row keeps its feed and file date; rows that fail validation keep their
-- source file and raw values and get the first failing reason (docs/consent-sql.md). The engines expose each
-- feed as its §3.1 columns (missing trailing fields NULL, extra fields ignored) plus source_file.
WITH fields AS (
  SELECT feed, source_file, cnsmr_idntfr_lgcy_txt, cnsmr_phn_id, cnsmr_phn_nbr_txt, cnsmr_phn_typ_cd, cnsmr_phn_src_cd,
    cnsmr_phn_sms_cnsnt_flg, cnsmr_phn_sft_dlt_flg, rcrd_dt,
    try_cast(
      substr(file_date_text, 1, 4) || '-' || substr(file_date_text, 5, 2) || '-' || substr(file_date_text, 7, 2) AS DATE
    ) AS file_date
  FROM (
    SELECT u.*, NULLIF(regexp_extract(source_file, '_([0-9]{8})(_[0-9]{3})?\.csv\.gz$', 1), '') AS file_date_text
    FROM (
      SELECT 'ENRLMT' AS feed, source_file, cnsmr_idntfr_lgcy_txt, CAST(NULL AS VARCHAR) AS cnsmr_phn_id, cnsmr_phn_nbr_txt,
        cnsmr_phn_typ_cd, cnsmr_phn_src_cd, cnsmr_phn_sms_cnsnt_flg, CAST(NULL AS VARCHAR) AS cnsmr_phn_sft_dlt_flg, rcrd_dt
      FROM consent_raw_enrollment
      UNION ALL
      SELECT 'NON-FIN-BDL', source_file, cnsmr_idntfr_lgcy_txt, cnsmr_phn_id, cnsmr_phn_nbr_txt,
        cnsmr_phn_typ_cd, cnsmr_phn_src_cd, cnsmr_phn_sms_cnsnt_flg, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)
      FROM consent_raw_nonfin
      UNION ALL
      SELECT 'SUPPLFWD', source_file, cnsmr_idntfr_lgcy_txt, CAST(NULL AS VARCHAR), cnsmr_phn_nbr_txt,
        cnsmr_phn_typ_cd, cnsmr_phn_src_cd, cnsmr_phn_sms_cnsnt_flg, cnsmr_phn_sft_dlt_flg, rcrd_dt
      FROM consent_raw_supplfwd
    ) u
    -- A line with no field at all is blank, not a record.
    WHERE coalesce(cnsmr_idntfr_lgcy_txt, '') <> '' OR coalesce(cnsmr_phn_nbr_txt, '') <> ''
      OR coalesce(cnsmr_phn_typ_cd, '') <> '' OR coalesce(cnsmr_phn_src_cd, '') <> ''
      OR coalesce(cnsmr_phn_sms_cnsnt_flg, '') <> '' OR coalesce(cnsmr_phn_id, '') <> ''
      OR coalesce(cnsmr_phn_sft_dlt_flg, '') <> '' OR coalesce(rcrd_dt, '') <> ''
  ) named
),
-- Fields are trimmed; the test of the first and last character skips the costly trim for clean values.
-- Codes and the account trim tab, line feed, carriage return and space; the phone is trimmed by the phone
-- rule (sql/fragments/phone_normalization.sql).
trimmed AS (
  SELECT f.*,
    CASE WHEN substr(legacy_raw, 1, 1) BETWEEN '!' AND '~' AND substr(legacy_raw, length(legacy_raw), 1) BETWEEN '!' AND '~'
      THEN legacy_raw ELSE trim(legacy_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS legacy_id,
    CASE WHEN substr(phone_id_raw, 1, 1) BETWEEN '!' AND '~' AND substr(phone_id_raw, length(phone_id_raw), 1) BETWEEN '!' AND '~'
      THEN phone_id_raw ELSE trim(phone_id_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS phone_id,
    CASE WHEN type_raw IN ('MOBILE', 'HOME', 'WORK', 'OTHER') THEN type_raw ELSE trim(type_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS phone_type,
    CASE WHEN source_raw IN ('CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER') THEN source_raw ELSE trim(source_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS phone_source,
    CASE WHEN consent_raw IN ('Y', 'N', '') THEN consent_raw ELSE trim(consent_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS sms_consent_flag,
    CASE WHEN delete_raw IN ('Y', 'N', '') THEN delete_raw ELSE trim(delete_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS soft_delete_flag,
    CASE WHEN regexp_like(record_date_raw, '^[0-9]*$') THEN record_date_raw ELSE trim(record_date_raw, chr(9) || chr(10) || chr(13) || chr(32)) END AS record_date_text
  FROM (
    SELECT f.*,
      coalesce(cnsmr_idntfr_lgcy_txt, '') AS legacy_raw,
      coalesce(cnsmr_phn_id, '') AS phone_id_raw,
      coalesce(cnsmr_phn_nbr_txt, '') AS phone_raw,
      coalesce(cnsmr_phn_typ_cd, '') AS type_raw,
      coalesce(cnsmr_phn_src_cd, '') AS source_raw,
      coalesce(cnsmr_phn_sms_cnsnt_flg, '') AS consent_raw,
      coalesce(cnsmr_phn_sft_dlt_flg, '') AS delete_raw,
      coalesce(rcrd_dt, '') AS record_date_raw
    FROM fields f
    WHERE file_date IS NULL OR file_date <= {{as_of_date}}
  ) f
),
-- The phone rule, shared with every statement that reads a phone (docs/phone-normalization.md).
phones AS (
{{fragment phone_normalization over trimmed}}
),
checked AS (
  SELECT p.*,
    CASE WHEN regexp_like(record_date_text, '^(19|20)[0-9]{6}$')
      THEN try_cast(substr(record_date_text, 1, 4) || '-' || substr(record_date_text, 5, 2) || '-' || substr(record_date_text, 7, 2) AS DATE)
    END AS record_date
  FROM phones p
)
-- Valid rows keep only what silver needs, in compact form (the table is held in memory): the account, the
-- E.164 phone, and the record's values as one number, value_code: restrictiveness (soft delete, then
-- consent N, Y, none), then type, then source; the greatest code of duplicates wins (silver).
-- Rejected rows keep their source file and raw values instead.
SELECT
  feed,
  file_date,
  reject_reason,
  phone_reject_reason,
  CASE WHEN reject_reason IS NULL THEN substr(legacy_id, 1, 16) END AS account_number,
  CASE WHEN reject_reason IS NULL THEN phone_e164 END AS phone_number,
  CASE WHEN reject_reason IS NULL AND feed = 'NON-FIN-BDL' THEN phone_id END AS phone_id,
  CASE WHEN reject_reason IS NULL THEN
    (CASE soft_delete_flag WHEN 'Y' THEN 3 ELSE 0 END + CASE sms_consent_flag WHEN 'N' THEN 2 WHEN 'Y' THEN 1 ELSE 0 END) * 16
      + CASE phone_type WHEN 'HOME' THEN 0 WHEN 'MOBILE' THEN 4 WHEN 'OTHER' THEN 8 ELSE 12 END
      + CASE phone_source WHEN 'CLIENT' THEN 0 WHEN 'CONSUMER' THEN 1 WHEN 'OTHER' THEN 2 ELSE 3 END
  END AS value_code,
  CASE WHEN reject_reason IS NULL THEN CASE WHEN feed = 'NON-FIN-BDL' THEN file_date ELSE record_date END END AS event_date,
  CASE WHEN reject_reason IS NOT NULL THEN source_file END AS source_file,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_idntfr_lgcy_txt END AS cnsmr_idntfr_lgcy_txt,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_id END AS cnsmr_phn_id,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_nbr_txt END AS cnsmr_phn_nbr_txt,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_typ_cd END AS cnsmr_phn_typ_cd,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_src_cd END AS cnsmr_phn_src_cd,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_sms_cnsnt_flg END AS cnsmr_phn_sms_cnsnt_flg,
  CASE WHEN reject_reason IS NOT NULL THEN cnsmr_phn_sft_dlt_flg END AS cnsmr_phn_sft_dlt_flg,
  CASE WHEN reject_reason IS NOT NULL THEN rcrd_dt END AS rcrd_dt
FROM (
  SELECT c.*,
    CASE
      WHEN file_date IS NULL THEN 'INVALID_FILE_NAME'
      WHEN NOT regexp_like(legacy_id, '^[0-9]{16}P$') THEN 'INVALID_ACCOUNT'
      WHEN phone_reject_reason IS NOT NULL THEN 'PHONE_' || phone_reject_reason
      WHEN feed = 'NON-FIN-BDL' AND phone_id = '' THEN 'INVALID_PHONE_ID'
      WHEN phone_type NOT IN ('MOBILE', 'HOME', 'WORK', 'OTHER') THEN 'INVALID_PHONE_TYPE'
      WHEN phone_source NOT IN ('CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER') THEN 'INVALID_PHONE_SOURCE'
      WHEN sms_consent_flag NOT IN ('Y', 'N', '') THEN 'INVALID_CONSENT_FLAG'
      WHEN feed = 'SUPPLFWD' AND soft_delete_flag NOT IN ('Y', 'N') THEN 'INVALID_DELETE_FLAG'
      WHEN feed <> 'NON-FIN-BDL' AND (record_date IS NULL OR record_date > file_date) THEN 'INVALID_DATE'
    END AS reject_reason
  FROM checked c
) r
