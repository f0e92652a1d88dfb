import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';

/**
 * The DuckDB engine's scratch (the scratch database, spill files, staged copies and unloads: feed rows,
 * PII among them) is removed on close, and what a killed process left is removed by the next engine.
 */
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'outbound-scratch-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Opens an engine in a child process, writes a table to its scratch database, and is killed with SIGKILL. */
async function killedWhileOpen(): Promise<number> {
  const script = [
    "const { DuckDbEngine } = await import('./adapters/duckdb-engine.ts');",
    `const engine = await DuckDbEngine.open({ home: ${JSON.stringify(home)} });`,
    "await engine.createTransient('secrets', \"SELECT '123-45-6789' AS ssn FROM range(1000)\");",
    "process.stdout.write('open\\n');",
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((opened, fail) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('open') && opened());
    child.once('exit', (code) => fail(new Error(`child exited with ${code} before opening`)));
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

describe('DuckDbEngine scratch', () => {
  it("removes a killed process's scratch when the next engine opens, and its own on close", async () => {
    // Prepare: a process killed with its engine open leaves its scratch folder behind.
    const pid = await killedWhileOpen();
    expect(await readdir(join(home, 'tmp'))).toContain(`proc-${pid}`);

    // Act
    const engine = await DuckDbEngine.open({ home });
    const whileOpen = await readdir(join(home, 'tmp'));
    await engine.close();

    // Assess: the dead process's folder is gone; this process's folder is empty after close.
    expect(whileOpen).toEqual([`proc-${process.pid}`]);
    expect(await readdir(join(home, 'tmp', `proc-${process.pid}`))).toEqual([]);
  });

  it('keeps a large transient table in the scratch database, compressed, and a small one temporary; both read alike', async () => {
    // Prepare
    const engine = await DuckDbEngine.open({ home });
    try {
      // Act
      const large = await engine.createTransient('bronze_like', 'SELECT range AS n FROM range(100000)', { large: true });
      const small = await engine.createTransient('silver_like', 'SELECT range AS n FROM range(10)');
      const kinds = await engine.query<{ table_name: string; temporary: boolean }>(
        "SELECT table_name, temporary FROM duckdb_tables() WHERE table_name IN ('bronze_like', 'silver_like') ORDER BY table_name",
      );
      const [sum] = await engine.query<{ total: string }>('SELECT CAST(sum(n) AS VARCHAR) AS total FROM bronze_like');

      // Assess
      expect([large, small]).toEqual([100_000, 10]);
      expect(kinds).toEqual([
        { table_name: 'bronze_like', temporary: false },
        { table_name: 'silver_like', temporary: true },
      ]);
      expect(sum?.total).toBe('4999950000');
    } finally {
      await engine.close();
    }
  });

  it('replaces a transient table of either kind by one of the other kind under the same name', async () => {
    // Prepare
    const engine = await DuckDbEngine.open({ home });
    try {
      // Act
      await engine.createTransient('bronze_like', 'SELECT 1 AS n');
      await engine.createTransient('bronze_like', 'SELECT 2 AS n', { large: true });
      const afterLarge = await engine.query<{ n: number }>('SELECT n FROM bronze_like');
      await engine.createTransient('bronze_like', 'SELECT 3 AS n');
      const afterSmall = await engine.query<{ n: number }>('SELECT n FROM bronze_like');
      const [{ tables } = { tables: -1 }] = await engine.query<{ tables: number }>(
        "SELECT count(*) AS tables FROM duckdb_tables() WHERE table_name = 'bronze_like'",
      );

      // Assess
      expect(afterLarge).toEqual([{ n: 2 }]);
      expect(afterSmall).toEqual([{ n: 3 }]);
      expect(tables).toBe(1);
    } finally {
      await engine.close();
    }
  });
});
