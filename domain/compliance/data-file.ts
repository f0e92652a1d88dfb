import type { z } from 'zod';

/**
 * The project's data files (config/compliance/, config/reference/): UTF-8, pipe-delimited, one
 * header row, one record per line, no quoting (no value contains `|`). Every problem names the
 * file, the 1-based line and the column, and all of a file's problems are reported at once.
 */

export interface DataFileProblem {
  file: string;
  line: number;
  /** The column's header name; absent for problems of the line or the file as a whole. */
  column?: string;
  message: string;
}

export class DataFileError extends Error {
  constructor(readonly problems: readonly DataFileProblem[]) {
    super(problems.map(formatDataFileProblem).join('\n'));
    this.name = 'DataFileError';
  }
}

export function formatDataFileProblem({ file, line, column, message }: DataFileProblem): string {
  return `${file} line ${line}${column === undefined ? '' : `, column ${column}`}: ${message}`;
}

export interface DataRecord<T> {
  line: number;
  value: T;
}

/**
 * Parses every record of a data file with `schema` (a zod object over the header's columns, all
 * strings; empty cells are empty strings). Throws a DataFileError listing every problem.
 */
export function parseDataFile<T>(text: string, file: string, columns: readonly string[], schema: z.ZodType<T>): DataRecord<T>[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const problems: DataFileProblem[] = [];
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .split('|')
    .map((name) => name.trim());
  if (header.join('|') !== columns.join('|')) {
    throw new DataFileError([{ file, line: 1, message: `expected the header ${columns.join('|')}, found ${header.join('|') || 'nothing'}` }]);
  }
  const records: DataRecord<T>[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    const cells = lines[index]!.split('|');
    if (cells.length !== columns.length) {
      problems.push({ file, line, message: `expected ${columns.length} fields, found ${cells.length}` });
      continue;
    }
    const row = Object.fromEntries(columns.map((column, position) => [column, cells[position]!.trim()]));
    const parsed = schema.safeParse(row);
    if (parsed.success) records.push({ line, value: parsed.data });
    else {
      for (const issue of parsed.error.issues) {
        const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        problems.push(column === undefined ? { file, line, message: issue.message } : { file, line, column, message: issue.message });
      }
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return records;
}
