-- SUPPLFWD exports as text, fields by position (SPEC §3.1 order), `"`-quoted fields read; the table lists
-- exactly the exports of one run through a symlink manifest (one S3 URI a line) that the engine writes.
-- Read through the view consent_raw_supplfwd, which leaves out the SSN and name columns.
CREATE EXTERNAL TABLE consent_raw_supplfwd_files (
  cnsmr_phn_hst_id string,
  cnsmr_idntfr_lgcy_txt string,
  cnsmr_idntfr_agncy_id string,
  cnsmr_idntfr_ssn_txt string,
  cnsmr_nm_frst_txt string,
  cnsmr_nm_lst_txt string,
  cnsmr_phn_nmbr_txt string,
  cnsmr_phn_typ_val_txt string,
  cnsmr_phn_stts_val_txt string,
  cnsmr_phn_src_val_txt string,
  cnsmr_phn_tchnlgy_typ_val_txt string,
  cnsmr_phn_qlty_score_nmbr string,
  cnsmr_phn_cnsnt_flg string,
  cnsmr_phn_cnsnt_dt string,
  cnsmr_phn_sft_dlt_flg string,
  record_date string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = '|', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
