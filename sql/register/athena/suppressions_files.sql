-- extra_fields, past the feed's last column, is not NULL when a row has more fields than the feed: the view's
-- row_problem tells such a row, and a short one, apart.
-- Suppression snapshots (docs/feeds.md) as text, fields by position, every snapshot of the folder; the
-- view suppressions_raw keeps the one snapshot a run reads.
CREATE EXTERNAL TABLE IF NOT EXISTS suppressions_files (
  scope string,
  set_name string,
  list_name string,
  key_type string,
  `key` string,
  reason string,
  start_date string,
  end_date string,
  extra_fields string
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION {{location}}
TBLPROPERTIES ('skip.header.line.count' = '1')
