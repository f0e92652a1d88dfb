import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { loadSql, sqlInteger } from '../../sql/sql-files.ts';
import { sandbox, type Sandbox } from '../sql/fixtures.ts';
import { loanRow, writeDailyFeeds } from './fixtures.ts';

/**
 * The shard hash of facts_loans.sql, from_base(substr(to_hex(md5(to_utf8(payoffuid))), 1, 8), 16), is Trino's
 * text; DuckDB runs it through compatibility macros. Athena cannot be reached here, so the DuckDB result is
 * checked against the definition both engines implement — the first 4 bytes, big-endian, of the MD5 of the
 * UTF-8 bytes — computed by Node, and for spread and stability.
 */
const D = '2026-11-20';
const reference = (payoffuid: string) => createHash('md5').update(payoffuid, 'utf8').digest().readUInt32BE(0);

function payoffuids(count: number): string[] {
  const ids = Array.from({ length: count }, (_, index) => {
    const hex = createHash('sha1').update(String(index)).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  });
  return [...ids, 'P-000001', 'p-000002', 'Zoë-Ünal-10', '客户-7', '𝟙𝟚𝟛'];
}

let box: Sandbox;
let engine: DuckDbEngine;
let hashes: Map<string, number>;
const ids = payoffuids(20_000);

beforeAll(async () => {
  box = await sandbox();
  await writeDailyFeeds(box.data, D, { loanTape: ids.map((id, index) => loanRow(id, String(index).padStart(16, '0'))) });
  engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
  await engine.registerFeeds(D);
  await engine.createTransient('facts_loan_tape', await loadSql('facts/facts_loan_tape.sql'));
  await engine.createTransient('facts_loans', await loadSql('facts/facts_loans.sql'));
  const rows = await engine.query<{ payoffuid: string; shard_hash: number }>('SELECT payoffuid, shard_hash FROM facts_loans');
  hashes = new Map(rows.map((row) => [row.payoffuid, row.shard_hash]));
});
afterAll(async () => {
  await engine.close();
  await box.cleanup();
});

describe('shard hash', () => {
  it('is the first 32 bits of md5(UTF-8 payoffuid), as Trino computes it, for every payoffuid', () => {
    expect(hashes.size).toBe(ids.length);
    const differing = ids.filter((id) => hashes.get(id) !== reference(id));
    expect(differing).toEqual([]);
  });

  it('spreads customers evenly over the shards (every shard within 12 % of the mean)', async () => {
    for (const shards of [2, 7, 20]) {
      // Act
      const rows = await engine.query<{ shard: string; customers: number }>(
        `SELECT lpad(CAST(shard_hash % ${sqlInteger(shards).sql} AS VARCHAR), 4, '0') AS shard, count(*) AS customers FROM facts_loans GROUP BY 1 ORDER BY 1`,
      );
      // Assess
      const mean = ids.length / shards;
      expect(rows.map((row) => row.shard)).toEqual(Array.from({ length: shards }, (_, shard) => String(shard).padStart(4, '0')));
      for (const row of rows) expect(Math.abs(row.customers - mean) / mean, `${shards} shards, shard ${row.shard}`).toBeLessThan(0.12);
    }
  });

  it('is stable: another engine on another day gives every payoffuid the same hash', async () => {
    // Prepare
    const other = await sandbox();
    const next = '2026-11-21';
    const sample = ids.filter((_, index) => index % 97 === 0);
    await writeDailyFeeds(other.data, next, {
      loanTape: [...sample].reverse().map((id, index) => loanRow(id, String(index).padStart(16, '0'), { loan_tape_asofdate: next })),
    });
    const second = await DuckDbEngine.open({ home: other.home, dataDir: other.data, memoryLimit: '256MB' });
    try {
      // Act
      await second.registerFeeds(next);
      await second.createTransient('facts_loan_tape', await loadSql('facts/facts_loan_tape.sql'));
      await second.createTransient('facts_loans', await loadSql('facts/facts_loans.sql'));
      const rows = await second.query<{ payoffuid: string; shard_hash: number }>('SELECT payoffuid, shard_hash FROM facts_loans');
      // Assess
      expect(rows).toHaveLength(sample.length);
      for (const row of rows) expect(row.shard_hash).toBe(hashes.get(row.payoffuid));
    } finally {
      await second.close();
      await other.cleanup();
    }
  });
});
