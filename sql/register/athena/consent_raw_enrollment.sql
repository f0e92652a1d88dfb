CREATE OR REPLACE VIEW consent_raw_enrollment AS
SELECT cnsmr_idntfr_lgcy_txt, cnsmr_phn_nbr_txt, cnsmr_phn_typ_cd, cnsmr_phn_src_cd, cnsmr_phn_sms_cnsnt_flg, rcrd_dt,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file
FROM consent_raw_enrollment_files
WHERE regexp_like("$path", '/ENRLMT_[^/]*\.csv\.gz$')
