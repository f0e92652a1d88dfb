-- Suppression entries that can be neither applied nor safely ignored (§3.2; fail closed): a row whose fields
-- are not where the columns say (too few or too many), a scope or key type that cannot be read, or a SET/LIST
-- entry that does not say which set or list. The build stops on any,
-- naming each by file and line (never by its values). Entries whose key cannot be read are quarantined
-- instead (facts_summary.sql): no usable contact has such a key.
SELECT source_file, source_line, reject_reason
FROM facts_suppressions
WHERE reject_reason IN ('TOO_FEW_FIELDS', 'TOO_MANY_FIELDS', 'INVALID_SCOPE', 'MISSING_SET_NAME', 'MISSING_LIST_NAME', 'INVALID_KEY_TYPE')
ORDER BY source_file, source_line, reject_reason
