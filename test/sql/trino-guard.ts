import pkg from 'node-sql-parser';

/**
 * The Athena guard of the shared SQL (docs/consent-sql.md): Athena cannot be reached from here, so every
 * shared statement must parse as one SELECT in node-sql-parser's Trino dialect and call only functions
 * known to exist in Trino (Athena engine v3) and DuckDB with the same result for the arguments used.
 * regexp_like, to_utf8, from_base and md5 (Trino's: varbinary → varbinary) are DuckDB macros registered
 * by the DuckDB engine (docs/customer-facts.md, shard hash).
 */
export const functionsInBothEngines = new Set([
  'cast', 'try_cast', 'coalesce', 'nullif', 'substr', 'length', 'replace', 'trim', 'chr', 'regexp_like', 'regexp_extract',
  'lpad', 'lower', 'upper', 'strpos', 'count', 'sum', 'min', 'max', 'row_number', 'lead', 'lag', 'floor', 'date_diff',
  'md5', 'to_utf8', 'to_hex', 'from_base',
]);

const KEYWORDS_BEFORE_PARENTHESIS = new Set(['in', 'as', 'over', 'from', 'join', 'and', 'or', 'not', 'on', 'where', 'select', 'by', 'then', 'else', 'when', 'exists', 'all', 'union']);

/** The names called as functions in `sql` (comments and string literals skipped), sorted. */
export function calledFunctions(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
  const names = [...code.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((match) => match[1]!.toLowerCase());
  return [...new Set(names)].filter((name) => !KEYWORDS_BEFORE_PARENTHESIS.has(name)).sort();
}

/** The statement types of `sql` parsed in the Trino dialect (throws on a syntax error). */
export function trinoStatementTypes(sql: string): string[] {
  const ast = new pkg.Parser().astify(sql, { database: 'trino' });
  return (Array.isArray(ast) ? ast : [ast]).map((statement) => statement.type);
}
