-- Custom-field files (JSON Lines, docs/feeds.md), one text column per line: U+0001, the field delimiter,
-- never occurs raw in JSON. One partition per asof=YYYY-MM-DD folder (partition projection). Read
-- through the view custom_fields_raw, which parses the lines.
CREATE EXTERNAL TABLE IF NOT EXISTS custom_fields_files (
  line string
)
PARTITIONED BY (asof string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\001'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.asof.type' = 'date',
  'projection.asof.format' = 'yyyy-MM-dd',
  'projection.asof.range' = '2000-01-01,NOW',
  'projection.asof.interval' = '1',
  'projection.asof.interval.unit' = 'DAYS'
)
