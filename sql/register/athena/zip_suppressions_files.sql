-- extra_fields, past the feed's last column, is not NULL when a row has more fields than the feed: the view's
-- row_problem tells such a row, and a short one, apart.
-- The ZIP suppression register (docs/feeds.md) as text, fields by position, over the reference/ folder; the view
-- zip_suppressions_raw keeps the one file reference/zip_suppressions.csv.gz.
CREATE EXTERNAL TABLE IF NOT EXISTS zip_suppressions_files (
  zip string,
  reason string,
  start_date string,
  end_date string,
  extra_fields string
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
