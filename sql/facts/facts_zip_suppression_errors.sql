-- ZIP suppression entries that can be neither applied nor safely ignored (fail closed): a row whose fields are not
-- where the columns say, or a ZIP that is not NNNNN[-NNNN]. The build stops on any, naming each by file and line.
SELECT source_file, source_line, reject_reason
FROM facts_zip_suppressions
WHERE reject_reason IS NOT NULL
ORDER BY source_file, source_line, reject_reason
