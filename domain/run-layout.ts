import { resources } from '../config/resources.ts';
import { isIsoDate } from './load-date.ts';

/**
 * Where a daily run keeps its artifacts in the lake bucket (docs/architecture.md). `attempt` is the
 * Step Functions execution name, unique per execution; a re-run of a date writes under a new attempt
 * and the day is switched over by the publication object.
 */
export const runLayout = {
  attemptPrefix: (loadDate: string, attempt: string) => `runs/load_date=${loadDate}/attempt=${attempt}/`,
  configSnapshot: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}campaigns.json`,
  factsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}facts/`,
  decisionsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}decisions/`,
  /** The export rows ExportLists unloads before writing the list files. */
  exportRowsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}exports/rows/`,
} as const;

/** Whether `key` is an object of some attempt, i.e. under `runLayout.attemptPrefix(D, A)` (what the lake's retention tag marks). */
export function isAttemptKey(key: string): boolean {
  const [, loadDate, attempt] = /^runs\/load_date=([^/]+)\/attempt=([^/]+)\/./.exec(key) ?? [];
  return loadDate !== undefined && attempt !== undefined && key.startsWith(runLayout.attemptPrefix(loadDate, attempt));
}

/** Four digits, as in the shard folders `shard=0007`. */
export function shardName(shard: number): string {
  return String(shard).padStart(4, '0');
}

/** Lake-relative key of a date's publication object (docs/finalize.md): it exists once the day is published. */
export function publicationKey(loadDate: string): string {
  if (!isIsoDate(loadDate)) throw new Error(`not a YYYY-MM-DD load date: ${JSON.stringify(loadDate)}`);
  return `${resources.prefixes.published}load_date=${loadDate}.json`;
}
