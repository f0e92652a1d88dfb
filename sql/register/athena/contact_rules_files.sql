-- extra_fields, past the feed's last column, is not NULL when a row has more fields than the feed: the view's
-- row_problem tells such a row, and a short one, apart.
-- Contact-rules files (docs/feeds.md) as text, fields by position; one partition per asof=YYYY-MM-DD folder
-- (partition projection: nothing to add per day). Read through the view contact_rules_raw.
CREATE EXTERNAL TABLE IF NOT EXISTS contact_rules_files (
  payoffuid string,
  cease_and_desist string,
  bankruptcy string,
  suppress_phone string,
  suppress_text string,
  suppress_letter string,
  suppress_email string,
  rule_start_date string,
  rule_end_date string,
  extra_fields string
)
PARTITIONED BY (`asof` string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.asof.type' = 'date',
  'projection.asof.format' = 'yyyy-MM-dd',
  'projection.asof.range' = '2000-01-01,NOW',
  'projection.asof.interval' = '1',
  'projection.asof.interval.unit' = 'DAYS'
)
