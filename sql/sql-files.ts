import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNames } from '../config/environment.ts';
import { isIsoDate } from '../domain/values/load-date.ts';

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
  return template.replace(FRAGMENT, (_, name: string, relation: string) => fragments.get(name)!.replace(/\{\{\s*input\s*\}\}/g, identifier(relation)));
}

/** The blanks a feed's field is trimmed of: tab, line feed, carriage return, space (docs/bad-input.md). */
const BLANKS = 'chr(9) || chr(10) || chr(13) || chr(32)';
const COLUMN = '([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)?)';

/**
 * The trimming macros, one text for the feeds' one trimming rule:
 * - `{{trim X}}`: X trimmed of the blanks;
 * - `{{trim_or_empty X}}`: the same, '' for NULL, and trim() called only when X starts or ends with a blank (the
 *   costly call skipped in the common case; LIKE on prefixes and suffixes is cheaper than substr and length);
 * - `{{trim_code X among ('A', 'B')}}`: the same for a code column, whose valid codes need no trim.
 */
/** A macro: its pattern, and the SQL it stands for, from the pattern's captured groups. */
type Macro = readonly [RegExp, (...groups: string[]) => string];

const TRIM_MACROS: readonly Macro[] = [
  [new RegExp(`\\{\\{\\s*trim\\s+${COLUMN}\\s*\\}\\}`, 'g'), (x) => `trim(${x!}, ${BLANKS})`],
  [
    new RegExp(`\\{\\{\\s*trim_or_empty\\s+${COLUMN}\\s*\\}\\}`, 'g'),
    (x) => {
      const edges = ["' %'", "'% '", ...['chr(9)', 'chr(10)', 'chr(13)'].flatMap((blank) => [`${blank} || '%'`, `'%' || ${blank}`])];
      return `CASE WHEN ${x} IS NULL THEN '' WHEN NOT (${edges.map((edge) => `${x} LIKE ${edge}`).join(' OR ')}) THEN ${x} ELSE trim(${x}, ${BLANKS}) END`;
    },
  ],
  [
    new RegExp(`\\{\\{\\s*trim_code\\s+${COLUMN}\\s+among\\s+(\\([^)]*\\))\\s*\\}\\}`, 'g'),
    (x, codes) => `CASE WHEN ${x} IN ${codes} THEN ${x} WHEN ${x} IS NULL THEN '' ELSE trim(${x}, ${BLANKS}) END`,
  ],
];

/**
 * The consent record key (docs/consent-sql.md "Record key"): one BIGINT per consent record whose order is the winner's
 * order, so that the greatest key of an (account, phone) is its winning record and its values are read back from it.
 * Each field sits at its bit, `width` bits wide (the event day takes the bits above the others); the key stays below
 * 2^53, so the division of DOUBLEs by a power of two that reads a field back is exact in both engines.
 */
export const RECORD_KEY_FIELDS = {
  event_day: { bit: 36, width: null },
  is_supplfwd: { bit: 35, width: 1 },
  is_soft_delete: { bit: 34, width: 1 },
  consent_code: { bit: 32, width: 2 },
  status_code: { bit: 30, width: 2 },
  type_code: { bit: 28, width: 2 },
  source_code: { bit: 26, width: 2 },
  technology_code: { bit: 24, width: 2 },
  quality_code: { bit: 17, width: 7 },
  consent_day: { bit: 0, width: 17 },
} as const satisfies Record<string, { bit: number; width: number | null }>;

function recordKeyField(name: string): { bit: number; width: number | null } {
  const field = (RECORD_KEY_FIELDS as Record<string, { bit: number; width: number | null }>)[name];
  if (!field) throw new Error(`not a field of the record key: ${name}`);
  return field;
}

/**
 * The record-key macros: `{{record_key_unit F}}` is the BIGINT a value of field F is multiplied by when the key is
 * built; `{{record_key_field KEY F}}` reads field F back from the key (a DOUBLE column).
 */
const RECORD_KEY_MACROS: readonly Macro[] = [
  [/\{\{\s*record_key_unit\s+([a-z_]+)\s*\}\}/g, (name) => `CAST(${2 ** recordKeyField(name!).bit} AS BIGINT)`],
  [
    /\{\{\s*record_key_field\s+([a-z_][a-z0-9_]*)\s+([a-z_]+)\s*\}\}/g,
    (key, name) => {
      const { bit, width } = recordKeyField(name!);
      const shifted = bit === 0 ? `CAST(${key} AS BIGINT)` : `CAST(floor(${key} / ${2 ** bit}) AS BIGINT)`;
      return width === null ? shifted : `${shifted} % ${2 ** width}`;
    },
  ],
];

export function expandMacros(template: string): string {
  return [...TRIM_MACROS, ...RECORD_KEY_MACROS].reduce(
    (text, [pattern, expand]) => text.replace(pattern, (...match) => expand(...(match.slice(1, -2) as string[]))),
    template,
  );
}

/** Reads a SQL file, expands its fragments and macros and renders its placeholders. */
export async function loadSql(relativePath: string, values: Record<string, SqlLiteral> = {}): Promise<string> {
  return renderSql(expandMacros(await expandFragments(await readSqlFile(relativePath))), values);
}
