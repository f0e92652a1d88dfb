CREATE OR REPLACE VIEW consent_raw_nonfin AS
SELECT cnsmr_phn_id, cnsmr_idntfr_lgcy_txt, cnsmr_idntfr_agncy_id, cnsmr_phn_nmbr_txt, cnsmr_phn_typ_val_txt, cnsmr_phn_stts_val_txt, cnsmr_phn_src_val_txt, cnsmr_phn_tchnlgy_typ_val_txt, cnsmr_phn_qlty_score_nmbr, cnsmr_phn_cnsnt_flg, cnsmr_phn_cnsnt_dt,
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file
FROM consent_raw_nonfin_files
