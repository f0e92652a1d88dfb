import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../adapters/duckdb-engine.ts';
import { publishedTables } from '../domain/run/lake-tables.ts';
import { copyExports } from '../local/cli/commands/exports.ts';
import { runDailyLocally } from '../local/runtime/daily-run.ts';
import { generateFeeds } from '../local/generate/feeds.ts';
import { runProgramDays } from '../local/cli/program-days.ts';
import { startLocalRuntime } from '../local/runtime/runtime.ts';

/**
 * `npm run digest:published`: the fingerprint of what one generated day publishes, to show that a refactoring changed
 * no behaviour (issue 13): the same seeded feeds run through the whole workflow with the sample configuration
 * (consent the day before, then every step) and through three days of the servicer's program; for each published
 * table the row count and the sha256 of its rows sorted (as JSON, without `run_id`, which names the run), and the
 * sha256 of every export file of the manifest. Run it before and after a change and compare the output.
 */
const DATE = '2026-11-20';
const PROGRAM_DATE = '2026-12-01';

async function digestHome(home: string, dates: readonly string[]): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const engine = await DuckDbEngine.open({ home });
  try {
    for (const table of publishedTables) {
      const rows = await engine.query<{ row: string }>(
        `SELECT CAST(to_json(t) AS VARCHAR) AS row FROM (SELECT COLUMNS(c -> c <> 'run_id') FROM ${table}) t ORDER BY 1`,
      );
      digests[table] = `${rows.length} rows sha256 ${createHash('sha256')
        .update(rows.map(({ row }) => row).join('\n'))
        .digest('hex')}`;
    }
  } finally {
    await engine.close();
  }
  const runtime = await startLocalRuntime({ home });
  try {
    for (const date of dates) {
      const manifest = await copyExports(date, join(home, 'exports-copy', date));
      for (const entry of manifest.files) digests[`${date} ${entry.file}`] = `${entry.bytes} bytes sha256 ${entry.sha256}`;
    }
  } finally {
    await runtime.stop();
  }
  return digests;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'outbound-digest-'));
  try {
    const sample = join(root, 'sample');
    const data = join(sample, 'data');
    await generateFeeds({ out: data, date: DATE, customers: 2_000, seed: 11 });
    await runDailyLocally({ data, date: '2026-11-19', home: sample, steps: 'consent' });
    await runDailyLocally({ data, date: DATE, home: sample, steps: 'all' });
    const program = join(root, 'program');
    await runProgramDays({ home: program, date: PROGRAM_DATE, days: 3, customers: 600, seed: 42 });
    const digests = {
      'sample configuration': await digestHome(sample, [DATE]),
      'servicer program': await digestHome(program, ['2026-11-29', '2026-11-30', PROGRAM_DATE]),
    };
    for (const [name, lines] of Object.entries(digests)) {
      console.log(`# ${name}`);
      for (const [what, digest] of Object.entries(lines)) console.log(`${what}\t${digest}`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
