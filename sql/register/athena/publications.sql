CREATE EXTERNAL TABLE IF NOT EXISTS publications (
  load_date string,
  attempt string,
  run_id string,
  published_at string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION {{location}}
