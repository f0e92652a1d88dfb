-- Contact rules that can be neither applied nor safely ignored (fail closed): a row whose fields are not where the
-- columns say, or a rule that names no customer one can read (a bankruptcy or cease-and-desist of nobody known). The
-- build stops on any, naming each by file and line (never its values).
SELECT source_file, source_line, reject_reason
FROM facts_contact_rules
WHERE reject_reason IS NOT NULL
ORDER BY source_file, source_line, reject_reason
