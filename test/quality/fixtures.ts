import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { readQualityThresholds, sqlQualityGate, type QualityGate } from '../../adapters/quality-gates.ts';
import { deleteObjectsUnderPrefix } from '../../adapters/s3-prefix.ts';
import { resources } from '../../config/resources.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/runtime.ts';
import { sqlText } from '../../sql/sql-files.ts';

/** Column types of a fixture table, as DuckDB names them. */
export type Columns = Record<string, 'VARCHAR' | 'DATE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMP'>;
export type Row = Record<string, string | number | boolean | null>;

/** A SELECT of `rows` with exactly `columns`, typed (an empty table when there is no row). */
export function valuesSelect(columns: Columns, rows: readonly Row[]): string {
  const names = Object.keys(columns);
  const typed = names.map((name) => `CAST(${name} AS ${columns[name]}) AS ${name}`).join(', ');
  if (rows.length === 0) return `SELECT ${names.map((name) => `CAST(NULL AS ${columns[name]}) AS ${name}`).join(', ')} WHERE false`;
  const literal = (value: Row[string] | undefined) =>
    value === null || value === undefined ? 'NULL' : typeof value === 'string' ? sqlText(value).sql : String(value);
  const tuples = rows.map((row) => `(${names.map((name) => literal(row[name])).join(', ')})`);
  return `SELECT ${typed} FROM (VALUES ${tuples.join(', ')}) AS t (${names.join(', ')})`;
}

/** The shipped thresholds, with min_rows lowered so that fixtures of a few hundred rows are judged. */
export const testThresholds = () => ({ ...readQualityThresholds(), min_rows: 10 });

/**
 * A local runtime (s3rver keeps the figures) and a DuckDB engine per test; the accepted figures are removed
 * before each test, so a row-count check compares only with what the test itself accepted.
 */
export function qualityHarness(): { engine: () => DuckDbEngine; gate: (loadDate: string, attempt?: string) => QualityGate; home: () => string } {
  let root: string;
  let runtime: LocalRuntime;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'outbound-quality-'));
    runtime = await startLocalRuntime({ home: join(root, 'home') });
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await deleteObjectsUnderPrefix(resources.buckets.lake, 'quality/');
    engine = await DuckDbEngine.open({ home: runtime.home, memoryLimit: '256MB' });
  });
  afterEach(async () => {
    await engine.close();
  });
  return {
    engine: () => engine,
    home: () => runtime.home,
    gate: (loadDate, attempt) => sqlQualityGate(engine, { loadDate, attempt: attempt ?? null, thresholds: testThresholds(), log: () => {} }),
  };
}

/** `n` rows made by `make(i)`, i = 0 … n-1. */
export const times = (n: number, make: (i: number) => Row): Row[] => Array.from({ length: n }, (_, i) => make(i));

/** A 16-digit account number and a valid E.164 phone per index. */
export const account = (i: number) => `1000000000${String(i).padStart(6, '0')}`;
export const phone = (i: number) => `+1212555${String(i).padStart(4, '0')}`;
