-- One consent feed's exports as text, fields by position in the feed's §3.1 order (domain/consent/consent-feeds.ts),
-- `"`-quoted fields read. The table lists exactly the exports of one run through a symlink manifest (one S3
-- URI a line) that the engine writes; it is read through consent_raw_view.sql, which leaves out the PII.
CREATE EXTERNAL TABLE {{table}} ({{columns}})
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = '|', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
