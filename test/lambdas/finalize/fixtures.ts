import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putGzipJsonLines } from '../../../adapters/json-lines-objects.ts';
import { resources } from '../../../config/resources.ts';
import { DECISION_TABLES, type DecisionContactRow, type DecisionListRow, type DecisionSuppressionRow } from '../../../domain/campaigns/decision-rows.ts';
import { decisionObjectKey } from '../../../domain/run/run-layout.ts';
import type { ShardRowCounts } from '../../../lambdas/finalize/finalize.ts';

/** Hand-made shard decisions for the Finalize tests. */

export const LOAD_DATE = '2026-11-20';
export const RUN_ID = '2026-11-20-0123456789ab';

export interface ShardDecisions {
  lists: DecisionListRow[];
  contacts: DecisionContactRow[];
  suppressions: DecisionSuppressionRow[];
}

export function listRow(payoffuid: string, patch: Partial<DecisionListRow> = {}): DecisionListRow {
  return {
    load_date: LOAD_DATE,
    set_name: 'COLLECTIONS',
    list_name: 'EARLY',
    payoffuid,
    account_number: `1000${payoffuid.replace(/\D/g, '').padStart(12, '0')}`,
    suppression_flag: false,
    loan_tape_asofdate: LOAD_DATE,
    channel: 'call',
    purpose: 'collections',
    ab_group: null,
    run_id: RUN_ID,
    calls_allowed_today: 7,
    state: 'NY',
    shaping_order: null,
    ...patch,
  };
}

export function contactRow(payoffuid: string, patch: Partial<DecisionContactRow> = {}): DecisionContactRow {
  return {
    load_date: LOAD_DATE,
    set_name: 'COLLECTIONS',
    list_name: 'EARLY',
    payoffuid,
    related_party_type: 'customer',
    contact_type: 'mobile',
    contact_value: '+12125550142',
    contact_rank: 1,
    timezone: 'America/New_York',
    window_start_utc: '2026-11-20T13:00:00.000Z',
    window_end_utc: '2026-11-21T02:00:00.000Z',
    ...patch,
  };
}

export function suppressionRow(payoffuid: string, patch: Partial<DecisionSuppressionRow> = {}): DecisionSuppressionRow {
  return {
    load_date: LOAD_DATE,
    suppression_type: 'GLOBAL',
    suppression_reason: 'BANKRUPTCY',
    payoffuid,
    set_name: 'COLLECTIONS',
    list_name: 'EARLY',
    contact_value: null,
    ...patch,
  };
}

/** Writes each shard's three decision objects where EvaluateShard writes them; returns what the shards would report. */
export async function writeShardDecisions(loadDate: string, attempt: string, shards: readonly ShardDecisions[]): Promise<ShardRowCounts[]> {
  const counts: ShardRowCounts[] = [];
  for (const [shard, decisions] of shards.entries()) {
    for (const table of DECISION_TABLES) {
      const text = decisions[table].map((row) => `${JSON.stringify(row)}\n`).join('');
      await putGzipJsonLines(resources.buckets.lake, decisionObjectKey(loadDate, attempt, table, shard), text);
    }
    counts.push({ shard, rows: { lists: decisions.lists.length, contacts: decisions.contacts.length, suppressions: decisions.suppressions.length } });
  }
  return counts;
}

export async function temporaryHome(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'outbound-finalize-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Independent model of list shaping, seat by seat (Webster / Sainte-Laguë): each place goes to the state
 * whose next customer (in the seeded order) has the lowest (2k + 1) / population, k = places the state
 * already has; equal priorities go to the lower (shaping_order, payoffuid). States without a population,
 * then exhausted states, take nothing until the others are exhausted.
 */
export function modelKept(
  candidates: readonly { payoffuid: string; state: string | null; shaping_order: number }[],
  targetSize: number,
  population: ReadonlyMap<string, number> | null,
): Set<string> {
  const bySeed = (a: { payoffuid: string; shaping_order: number }, b: { payoffuid: string; shaping_order: number }) =>
    a.shaping_order - b.shaping_order || (a.payoffuid < b.payoffuid ? -1 : a.payoffuid > b.payoffuid ? 1 : 0);
  const kept = new Set<string>();
  if (population === null) {
    for (const candidate of [...candidates].sort(bySeed).slice(0, targetSize)) kept.add(candidate.payoffuid);
    return kept;
  }
  const queues = new Map<string, (typeof candidates)[number][]>();
  const unplaced: (typeof candidates)[number][] = [];
  for (const candidate of candidates) {
    if (candidate.state !== null && population.has(candidate.state)) {
      queues.set(candidate.state, [...(queues.get(candidate.state) ?? []), candidate]);
    } else unplaced.push(candidate);
  }
  for (const queue of queues.values()) queue.sort(bySeed);
  const taken = new Map<string, number>();
  while (kept.size < targetSize) {
    let best: { state: string; priority: number; candidate: (typeof candidates)[number] } | null = null;
    for (const [state, queue] of queues) {
      const k = taken.get(state) ?? 0;
      if (k >= queue.length) continue;
      const priority = (2 * k + 1) / population.get(state)!;
      const candidate = queue[k]!;
      if (!best || priority < best.priority || (priority === best.priority && bySeed(candidate, best.candidate) < 0)) {
        best = { state, priority, candidate };
      }
    }
    if (!best) break;
    taken.set(best.state, (taken.get(best.state) ?? 0) + 1);
    kept.add(best.candidate.payoffuid);
  }
  for (const candidate of unplaced.sort(bySeed)) {
    if (kept.size >= targetSize) break;
    kept.add(candidate.payoffuid);
  }
  return kept;
}
