CREATE OR REPLACE VIEW consent_raw_supplfwd AS
SELECT field_1 AS cnsmr_idntfr_lgcy_txt, field_2 AS cnsmr_phn_nbr_txt, field_3 AS cnsmr_phn_typ_cd,
  field_4 AS cnsmr_phn_src_cd, field_5 AS cnsmr_phn_sms_cnsnt_flg, field_6 AS cnsmr_phn_sft_dlt_flg, field_7 AS rcrd_dt,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file
FROM consent_raw_maintenance_files
WHERE regexp_like("$path", '/SUPPLFWD_[^/]*\.csv\.gz$')
