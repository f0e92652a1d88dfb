-- extra_fields, past the feed's last column, is not NULL when a row has more fields than the feed: the view's
-- row_problem tells such a row, and a short one, apart.
-- Payment-request files (docs/feeds.md) as text, fields by position; one partition per date=YYYY-MM-DD folder
-- (partition projection). Read through the view payment_requests_raw (the 90 days ending on the load date).
CREATE EXTERNAL TABLE IF NOT EXISTS payment_requests_files (
  payoffuid string,
  request_type string,
  effective_date string,
  status string,
  submitted_at string,
  extra_fields string
)
PARTITIONED BY (`date` string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2000-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS'
)
