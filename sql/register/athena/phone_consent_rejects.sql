CREATE EXTERNAL TABLE IF NOT EXISTS phone_consent_rejects (
  feed string,
  source_file string,
  file_date date,
  reject_reason string,
  cnsmr_idntfr_lgcy_txt string,
  cnsmr_phn_id string,
  cnsmr_phn_nbr_txt string,
  cnsmr_phn_typ_cd string,
  cnsmr_phn_src_cd string,
  cnsmr_phn_sms_cnsnt_flg string,
  cnsmr_phn_sft_dlt_flg string,
  rcrd_dt string
)
PARTITIONED BY (as_of_date date)
STORED AS PARQUET
LOCATION {{location}}
