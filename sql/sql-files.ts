import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNames } from '../config/environment.ts';
import { isIsoDate } from '../domain/load-date.ts';

/**
 * Reads and renders the project's SQL files. Placeholders `{{name}}` are replaced by SQL literals built
 * here from validated values only; a placeholder without a value is an error.
 * In a Lambda bundle the files are copied next to the code and `OUTBOUND_SQL_DIR` points at them.
 */
const sqlDirectory = process.env[envNames.sqlDirectory] ?? fileURLToPath(new URL('.', import.meta.url));

export function readSqlFile(relativePath: string): Promise<string> {
  return readFile(join(sqlDirectory, relativePath), 'utf8');
}

/** A SQL literal produced by one of the constructors below. */
export interface SqlLiteral {
  readonly sql: string;
}

/** `DATE 'YYYY-MM-DD'`, or a typed NULL for null. */
export function sqlDate(value: string | null): SqlLiteral {
  if (value === null) return { sql: 'CAST(NULL AS DATE)' };
  if (!isIsoDate(value)) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  return { sql: `DATE '${value}'` };
}

/** A non-negative integer literal. */
export function sqlInteger(value: number): SqlLiteral {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${JSON.stringify(value)}`);
  return { sql: String(value) };
}

const SAFE_STRING = /^[A-Za-z0-9_./:=+-]*$/;

/** A quoted string literal for locations and names; only characters that need no escaping are accepted. */
export function sqlString(value: string): SqlLiteral {
  if (!SAFE_STRING.test(value)) throw new Error(`unsafe characters in SQL string value: ${JSON.stringify(value)}`);
  return { sql: `'${value}'` };
}

/** A quoted literal for any text: quotes doubled, the standard SQL string both engines read (no backslash escapes). */
export function sqlText(value: string): SqlLiteral {
  return { sql: `'${value.replaceAll("'", "''")}'` };
}

/** A table or column name, checked: lower-case letters, digits and underscores. */
export function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a valid table or column name: ${JSON.stringify(name)}`);
  return name;
}

export function renderSql(template: string, values: Record<string, SqlLiteral>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`SQL placeholder {{${name}}} has no value`);
    return value.sql;
  });
}

/**
 * `{{fragment <name> over <relation>}}` stands for the SELECT of `sql/fragments/<name>.sql` over the
 * relation (a CTE or table) `<relation>`, which the fragment names `{{input}}`: one text for a rule
 * that several statements share (e.g. the phone rule).
 */
const FRAGMENT = /\{\{\s*fragment\s+([a-z_]+)\s+over\s+([a-z_][a-z0-9_]*)\s*\}\}/g;

async function expandFragments(template: string): Promise<string> {
  const names = [...new Set([...template.matchAll(FRAGMENT)].map((match) => match[1]!))];
  const fragments = new Map(await Promise.all(names.map(async (name) => [name, await readSqlFile(`fragments/${name}.sql`)] as const)));
  return template.replace(FRAGMENT, (_, name: string, relation: string) =>
    fragments.get(name)!.replace(/\{\{\s*input\s*\}\}/g, identifier(relation)),
  );
}

/** Reads a SQL file, expands its fragments and renders its placeholders. */
export async function loadSql(relativePath: string, values: Record<string, SqlLiteral> = {}): Promise<string> {
  return renderSql(await expandFragments(await readSqlFile(relativePath)), values);
}
