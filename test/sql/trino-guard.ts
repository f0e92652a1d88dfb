import pkg from 'node-sql-parser';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sqlDate, sqlInteger, sqlString, type SqlLiteral } from '../../sql/sql-files.ts';

/**
 * The Athena guard of the SQL (docs/consent-sql.md): Athena cannot be reached from here, so every
 * shared statement must parse as one SELECT in node-sql-parser's Trino dialect, use none of DuckDB's own
 * syntax the parser lets through, and call only functions known to exist in Trino (Athena engine v3) and
 * DuckDB with the same result for the arguments used. regexp_like, regexp_replace (every match, as Trino's), to_utf8,
 * from_base and md5 (Trino's: varbinary → varbinary) are DuckDB macros registered by the DuckDB engine (docs/customer-facts.md, shard hash).
 */
export const functionsInBothEngines = new Set([
  'cast',
  'try_cast',
  'coalesce',
  'nullif',
  'substr',
  'length',
  'replace',
  'trim',
  'chr',
  'regexp_like',
  'regexp_extract',
  'regexp_replace',
  'lpad',
  'lower',
  'upper',
  'strpos',
  'count',
  'sum',
  'min',
  'max',
  'row_number',
  'lead',
  'lag',
  'floor',
  'date_diff',
  'md5',
  'to_utf8',
  'to_hex',
  'from_base',
]);

const KEYWORDS_BEFORE_PARENTHESIS = new Set([
  'in',
  'as',
  'over',
  'from',
  'join',
  'and',
  'or',
  'not',
  'on',
  'where',
  'select',
  'by',
  'then',
  'else',
  'when',
  'exists',
  'all',
  'union',
]);

/** DuckDB (and PostgreSQL) syntax Trino refuses that node-sql-parser's Trino dialect accepts. */
const DUCKDB_ONLY_SYNTAX: readonly { name: string; pattern: RegExp }[] = [
  { name: ':: cast', pattern: /::/ },
  { name: 'ILIKE', pattern: /\bilike\b/i },
];

/** `sql` without its comments and with every string literal emptied. */
function code(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
}

/** The names called as functions in `sql` (comments and string literals skipped), sorted. */
export function calledFunctions(sql: string): string[] {
  const names = [...code(sql).matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((match) => match[1]!.toLowerCase());
  return [...new Set(names)].filter((name) => !KEYWORDS_BEFORE_PARENTHESIS.has(name)).sort();
}

/** The statement types of `sql` parsed in the Trino dialect (throws on a syntax error). */
export function trinoStatementTypes(sql: string): string[] {
  const ast = new pkg.Parser().astify(sql, { database: 'trino' });
  return (Array.isArray(ast) ? ast : [ast]).map((statement) => statement.type);
}

/**
 * What the guard asks of a file, by where it lives: every file outside `register/athena/` is shared by
 * both engines; in `register/athena/` a view is Trino SQL that Athena alone runs, and `CREATE EXTERNAL TABLE`
 * is Hive DDL (not Trino SQL, not parsed: node-sql-parser has no Hive dialect).
 */
export type SqlKind = 'shared' | 'athena-view' | 'athena-ddl';

const ATHENA_ONLY = 'register/athena/';

export function sqlKind(file: string, sql: string): SqlKind {
  if (!file.startsWith(ATHENA_ONLY)) return 'shared';
  return /^\s*CREATE EXTERNAL TABLE\b/i.test(code(sql)) ? 'athena-ddl' : 'athena-view';
}

/** The guard's findings on one rendered statement of `kind`: empty when it passes. */
export function trinoGuardProblems(sql: string, kind: SqlKind): string[] {
  if (kind === 'athena-ddl') {
    const statements = code(sql)
      .split(';')
      .filter((part) => part.trim() !== '');
    return statements.length === 1 ? [] : [`${statements.length} statements, not one`];
  }
  let types: string[];
  try {
    types = trinoStatementTypes(sql);
  } catch (error) {
    return [`does not parse in the Trino dialect: ${(error as Error).message}`];
  }
  const expected = kind === 'shared' ? 'select' : 'create';
  const problems = types.length === 1 && types[0] === expected ? [] : [`statements ${types.join(', ')}, not one ${expected}`];
  if (kind === 'athena-view') return problems;
  const unknown = calledFunctions(sql).filter((name) => !functionsInBothEngines.has(name));
  if (unknown.length > 0) problems.push(`calls functions not known to both engines: ${unknown.join(', ')}`);
  const syntax = DUCKDB_ONLY_SYNTAX.filter(({ pattern }) => pattern.test(code(sql))).map(({ name }) => name);
  if (syntax.length > 0) problems.push(`uses syntax Trino refuses: ${syntax.join(', ')}`);
  return problems;
}

/** Every SQL file of the project, relative to `sql/`, sorted. */
export function allSqlFiles(): string[] {
  const root = fileURLToPath(new URL('../../sql/', import.meta.url));
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.replaceAll('\\', '/'))
    .sort();
}

/**
 * A value of the kind the code renders for each placeholder of the SQL files (a date as `DATE '…'`, except
 * in the Athena views, which compare it with the partition text; fragments read the relation `{{input}}`).
 */
export function exampleValues(file: string): Record<string, SqlLiteral> {
  const date = (value: string) => (file.startsWith(ATHENA_ONLY) ? sqlString(value) : sqlDate(value));
  return {
    load_date: date('2026-11-20'),
    as_of_date: sqlDate('2026-11-20'),
    base_as_of_date: sqlDate('2026-11-19'),
    carried_from_date: sqlDate('2026-11-19'),
    base_date: sqlDate('2026-11-19'),
    loaded_date: sqlDate('2026-11-19'),
    previous_date: sqlDate('2026-11-19'),
    week_start: sqlDate('2026-11-14'),
    history_start: sqlDate('2026-08-23'),
    first_date: sqlString('2026-08-23'),
    requests_first_date: sqlString('2026-08-23'),
    zip_register: sqlString('s3://outbound-raw/reference/zip_suppressions.csv.gz'),
    load_weekday: sqlString('Friday'),
    load_date_text: sqlString('2026-11-20'),
    shard_count: sqlInteger(20),
    full_load: sqlInteger(0),
    attempt: sqlString('local-1'),
    run_id: sqlString('2026-11-20-0123456789ab'),
    location: sqlString('s3://outbound-lake/table/'),
    snapshot: sqlString('s3://outbound-raw/suppressions/suppressions_20261120.csv.gz'),
    view: { sql: 'consent_feed' },
    table: { sql: 'consent_feed_files' },
    columns: { sql: 'account_number, phone_number' },
    input: { sql: 'input_rows' },
  };
}
