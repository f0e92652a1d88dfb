import type { Command } from 'commander';
import { resolve } from 'node:path';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { defaultHome } from '../../runtime/runtime.ts';

/** `outbound query "SQL"`: runs SQL over the local lake tables (phone_consent, phone_consent_rejects, ...). */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run a SQL query over the local lake tables (DuckDB)')
    .argument('<sql>', 'the query, e.g. "SELECT * FROM phone_consent LIMIT 5"')
    .option('--home <dir>', 'home directory of the local state', defaultHome)
    .option('--format <format>', 'csv or json (one array)', 'csv')
    .action(async (sql: string, options: { home: string; format: string }) => {
      if (options.format !== 'csv' && options.format !== 'json') {
        throw new Error(`--format must be csv or json, not ${JSON.stringify(options.format)}`);
      }
      const engine = await DuckDbEngine.open({ home: resolve(options.home) });
      try {
        const rows = await engine.query(sql);
        process.stdout.write(options.format === 'json' ? `${JSON.stringify(rows)}\n` : toCsv(rows));
      } finally {
        await engine.close();
      }
    });
}

function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\n')}\n`;
}
