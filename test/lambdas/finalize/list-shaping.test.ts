import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import type { DecisionListRow } from '../../../domain/campaigns/decision-rows.ts';
import { registerShapingInputs } from '../../../lambdas/finalize/finalize.ts';
import { loadSql, sqlText } from '../../../sql/sql-files.ts';
import { buildConfig } from '../../domain/campaigns/fixtures.ts';
import { listRow, modelKept, temporaryHome } from './fixtures.ts';

/** The shaping SQL (sql/finalize/list_capacity_cuts.sql) on DuckDB, against the seat-by-seat model. */

let home: Awaited<ReturnType<typeof temporaryHome>>;
let engine: DuckDbEngine;

beforeAll(async () => {
  home = await temporaryHome();
  engine = await DuckDbEngine.open({ home: home.path, memoryLimit: '256MB' });
});

afterAll(async () => {
  await engine.close();
  await home.remove();
});

function config(targetSize: number, census: boolean) {
  return buildConfig({
    version: 'test',
    sets: [
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [
          {
            name: 'EARLY',
            priority: 1,
            purpose: 'collections',
            target_size: targetSize,
            ...(census ? { distribution: 'census_state' as const } : {}),
            conditions: { source: 'loan', field: 'days_past_due', operator: '>', value: 0 },
          },
          { name: 'LATE', priority: 2, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: '>', value: 0 } },
        ],
      },
    ],
  });
}

/** Runs the shaping SQL over `rows` and returns the payoffuids cut, per list. */
async function cuts(rows: readonly DecisionListRow[], targetSize: number, census: boolean, population: ReadonlyMap<string, number>): Promise<string[]> {
  const text = (value: string | null) => (value === null ? 'CAST(NULL AS VARCHAR)' : sqlText(value).sql);
  const values = rows.map(
    (row) =>
      `(${text(row.set_name)}, ${text(row.list_name)}, ${text(row.payoffuid)}, ${text(row.state)}, ${row.suppression_flag}, ` +
      `CAST(${row.shaping_order ?? 'NULL'} AS BIGINT))`,
  );
  await engine.createTransient(
    'decision_lists',
    `SELECT * FROM (VALUES ${values.join(', ')}) AS t (set_name, list_name, payoffuid, state, suppression_flag, shaping_order)`,
  );
  await registerShapingInputs(engine, config(targetSize, census), new Map([...population].map(([state, count]) => [state, { population: count }])));
  await engine.createTransient('list_capacity_cuts', await loadSql('finalize/list_capacity_cuts.sql'));
  const result = await engine.query<{ list_name: string; payoffuid: string }>('SELECT list_name, payoffuid FROM list_capacity_cuts ORDER BY payoffuid');
  expect(new Set(result.map((row) => row.list_name))).not.toContain('LATE');
  return result.map((row) => row.payoffuid);
}

function customers(perState: Record<string, number>, firstOrder = 0): DecisionListRow[] {
  let index = 0;
  return Object.entries(perState).flatMap(([state, count]) =>
    Array.from({ length: count }, () => {
      index += 1;
      // A spread-out, repeatable order unrelated to the states.
      return listRow(`P${String(index).padStart(5, '0')}`, { state, shaping_order: (firstOrder + index * 2_654_435_761) % 4_294_967_296 });
    }),
  );
}

const keptPerState = (rows: readonly DecisionListRow[], cut: readonly string[]) => {
  const removed = new Set(cut);
  const counts: Record<string, number> = {};
  for (const row of rows) if (!row.suppression_flag && !removed.has(row.payoffuid)) counts[row.state ?? 'none'] = (counts[row.state ?? 'none'] ?? 0) + 1;
  return counts;
};

describe('list shaping', () => {
  it('keeps target_size customers in proportion to the census populations', async () => {
    // Prepare
    const rows = customers({ AA: 200, BB: 200, CC: 200 });
    // Act
    const cut = await cuts(
      rows,
      100,
      true,
      new Map([
        ['AA', 500],
        ['BB', 300],
        ['CC', 200],
      ]),
    );
    // Assess
    expect(cut).toHaveLength(500);
    expect(keptPerState(rows, cut)).toEqual({ AA: 50, BB: 30, CC: 20 });
  });

  it('gives the unfilled quota of a small state to the others, in proportion', async () => {
    // Prepare: CC's quota is 20 but it has 5 customers; AA and BB share the other 95 as 5 : 3.
    const rows = customers({ AA: 200, BB: 200, CC: 5 });
    // Act
    const cut = await cuts(
      rows,
      100,
      true,
      new Map([
        ['AA', 500],
        ['BB', 300],
        ['CC', 200],
      ]),
    );
    // Assess: 95 × 5/8 = 59.4, 95 × 3/8 = 35.6 → 59 and 36.
    expect(keptPerState(rows, cut)).toEqual({ AA: 59, BB: 36, CC: 5 });
  });

  it('places customers without a census state last, and keeps everyone when the list is under its target', async () => {
    // Prepare
    const rows = [...customers({ AA: 10 }), ...customers({ PR: 10 }, 7).map((row) => ({ ...row, payoffuid: `X${row.payoffuid}` }))];
    // Act
    const overTarget = await cuts(rows, 15, true, new Map([['AA', 500]]));
    const underTarget = await cuts(rows, 25, true, new Map([['AA', 500]]));
    // Assess
    expect(keptPerState(rows, overTarget)).toEqual({ AA: 10, PR: 5 });
    expect(underTarget).toEqual([]);
  });

  it('never cuts suppressed customers nor counts them against the target', async () => {
    // Prepare
    const rows = customers({ AA: 10 }).map((row, index) => (index < 4 ? { ...row, suppression_flag: true } : row));
    // Act
    const cut = await cuts(rows, 5, false, new Map([['AA', 1]]));
    // Assess
    expect(cut).toHaveLength(1);
    expect(rows.filter((row) => row.suppression_flag).map((row) => row.payoffuid)).not.toContain(cut[0]);
  });

  it('agrees with the seat-by-seat model on random lists (census and plain)', async () => {
    const states = ['AA', 'BB', 'CC', 'DD', 'EE'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            state: fc.option(fc.constantFrom(...states, 'ZZ'), { nil: null, freq: 8 }),
            shaping_order: fc.integer({ min: 0, max: 40 }),
            suppressed: fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0),
          }),
          { minLength: 1, maxLength: 150, size: 'max' },
        ),
        fc.dictionary(fc.constantFrom(...states), fc.integer({ min: 1, max: 1_000 }), { minKeys: 1 }),
        fc.integer({ min: 0, max: 110 }),
        fc.boolean(),
        async (drawn, populationRecord, targetPercent, census) => {
          const targetSize = Math.max(1, Math.floor((targetPercent * drawn.length) / 100));
          // Prepare: small shaping orders make ties frequent; payoffuid breaks them.
          const rows = drawn.map((draw, index) =>
            listRow(`C${String(index).padStart(4, '0')}`, { state: draw.state, shaping_order: draw.shaping_order, suppression_flag: draw.suppressed }),
          );
          const population = new Map(Object.entries(populationRecord));
          // Act
          const cut = new Set(await cuts(rows, targetSize, census, population));
          // Assess
          const candidates = rows
            .filter((row) => !row.suppression_flag)
            .map((row) => ({ payoffuid: row.payoffuid, state: row.state, shaping_order: row.shaping_order! }));
          const expected = modelKept(candidates, targetSize, census ? population : null);
          expect(
            candidates
              .filter((candidate) => !cut.has(candidate.payoffuid))
              .map((candidate) => candidate.payoffuid)
              .sort(),
          ).toEqual([...expected].sort());
        },
      ),
      { numRuns: 40, seed: 20261120 },
    );
  });
});
