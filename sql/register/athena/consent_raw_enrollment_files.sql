-- ENRLMT files as text, fields by position (SPEC §3.1 order); read through the view consent_raw_enrollment.
CREATE EXTERNAL TABLE IF NOT EXISTS consent_raw_enrollment_files (
  cnsmr_idntfr_lgcy_txt string,
  cnsmr_phn_nbr_txt string,
  cnsmr_phn_typ_cd string,
  cnsmr_phn_src_cd string,
  cnsmr_phn_sms_cnsnt_flg string,
  rcrd_dt string
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
