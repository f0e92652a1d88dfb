-- Every bronze row that failed validation, with its raw values and the reason (never silently dropped).
SELECT
  feed,
  source_file,
  file_date,
  reject_reason,
  cnsmr_idntfr_lgcy_txt,
  cnsmr_phn_id,
  cnsmr_phn_nbr_txt,
  cnsmr_phn_typ_cd,
  cnsmr_phn_src_cd,
  cnsmr_phn_sms_cnsnt_flg,
  cnsmr_phn_sft_dlt_flg,
  rcrd_dt
FROM consent_bronze
WHERE reject_reason IS NOT NULL
