import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';

/** The functions the shared SQL calls under their Trino name give Trino's results in DuckDB. */
let home: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'outbound-compat-'));
  engine = await DuckDbEngine.open({ home });
});
afterAll(async () => {
  await engine.close();
  await rm(home, { recursive: true, force: true });
});

describe('DuckDB under Trino names', () => {
  it('regexp_replace replaces every match, as Trino does', async () => {
    // Act
    const [row] = await engine.query<{ digits: string; none: string }>(
      "SELECT regexp_replace('+1 (212) 555-0142', '[^0-9]', '') AS digits, regexp_replace('abc', '[0-9]', '') AS none",
    );

    // Assess
    expect(row).toEqual({ digits: '12125550142', none: 'abc' });
  });

  it('regexp_like is true when the pattern matches anywhere, as Trino does', async () => {
    // Act
    const [row] = await engine.query<{ inside: boolean; anchored: boolean }>(
      "SELECT regexp_like('x123y', '[0-9]+') AS inside, regexp_like('x123y', '^[0-9]+$') AS anchored",
    );

    // Assess
    expect(row).toEqual({ inside: true, anchored: false });
  });
});
