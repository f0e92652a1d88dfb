-- NON-FIN-BDL and SUPPLFWD files share the MAINTENANCE folder: one text table with positional fields,
-- split into the two feeds by file name in the views consent_raw_nonfin and consent_raw_supplfwd.
CREATE EXTERNAL TABLE IF NOT EXISTS consent_raw_maintenance_files (
  field_1 string,
  field_2 string,
  field_3 string,
  field_4 string,
  field_5 string,
  field_6 string,
  field_7 string
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
