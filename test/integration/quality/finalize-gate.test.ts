import { describe, expect, it } from 'vitest';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { getLakeJson } from '../../../adapters/lake-store.ts';
import { readQualityThresholds, sqlQualityGate } from '../../../adapters/quality-gates.ts';
import { publicationKey } from '../../../adapters/sql-engine.ts';
import { resources } from '../../../config/resources.ts';
import { qualityLayout } from '../../../domain/run/run-layout.ts';
import { runFinalize } from '../../../lambdas/finalize/finalize.ts';
import { buildConfig } from '../../domain/campaigns/fixtures.ts';
import { contactRow, listRow, RUN_ID, writeShardDecisions } from '../../lambdas/finalize/fixtures.ts';
import { qualityHarness } from '../../quality/fixtures.ts';

/** Finalize runs the lists gate before the publication: a failing gate leaves the day unpublished. */

const D = '2026-11-20';
const harness = qualityHarness();

describe('Finalize with the lists gate', () => {
  const config = buildConfig({
    version: 'test',
    sets: [
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [{ name: 'EARLY', priority: 1, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 0 } }],
      },
    ],
  });
  const population = new Map([['NY', { population: 20_000_000 }]]);
  const customers = Array.from({ length: 20 }, (_, i) => i);
  const decisions = (badPhone: boolean) => [
    {
      lists: customers.map((i) => listRow(`P${i}`)),
      contacts: customers.map((i) => contactRow(`P${i}`, { contact_value: badPhone && i === 0 ? '+10005550100' : `+1212555${String(i).padStart(4, '0')}` })),
      suppressions: [],
    },
  ];
  const finalize = async (attempt: string, badPhone: boolean) =>
    runFinalize(harness.engine(), {
      loadDate: D,
      attempt,
      runId: RUN_ID,
      lakeBucket: resources.buckets.lake,
      config,
      statePopulation: population,
      shards: await writeShardDecisions(D, attempt, decisions(badPhone)),
      qualityGate: sqlQualityGate(harness.engine(), { loadDate: D, attempt, thresholds: readQualityThresholds(), log: () => {} }),
    });
  const publication = () => join(harness.home(), 'lake', publicationKey(D));
  const exists = (file: string) =>
    access(file).then(
      () => true,
      () => false,
    );

  it('publishes nothing when the gate fails, and publishes the day once the data is fixed', async () => {
    await expect(finalize('bad', true)).rejects.toThrow(
      '1 data-quality gate(s) of layer lists failed: gate lists.contacts_phone_not_e164 failed: 1 of 20 phone contacts not in E.164 (+1NXXNXXXXXX) (5%, threshold 0%)',
    );
    const publishedAfterFailure = await exists(publication());
    await finalize('good', false);

    expect(publishedAfterFailure).toBe(false);
    expect(await exists(publication())).toBe(true);
    expect(await getLakeJson(qualityLayout.accepted('lists', D))).toMatchObject({ layer: 'lists', load_date: D, checks: { lists_rows: { observed: 20 } } });
  });
});
