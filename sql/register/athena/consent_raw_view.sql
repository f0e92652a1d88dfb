CREATE OR REPLACE VIEW {{view}} AS
SELECT {{columns}},
  regexp_replace("$path", '^s3://[^/]+/', '') AS source_file
FROM {{table}}
