import { resources } from '../../config/resources.ts';
import type { DecisionTable } from '../campaigns/decision-rows.ts';
import { consentPartitionColumn } from './lake-tables.ts';
import { isIsoDate } from '../values/load-date.ts';
import type { QualityLayer } from './quality-gates.ts';

/**
 * The lake layout: every prefix and key of the lake bucket that the handlers, both SQL engines and the CDK grants
 * (lib/lake-access.ts) build, derived from the prefixes of `resources.prefixes` (docs/architecture.md). Pure: no
 * AWS and no engine here, so the stack and the code that writes the keys read the same functions.
 */
const prefixes = resources.prefixes;

/**
 * Where a daily run keeps its artifacts in the lake bucket. `attempt` is the Step Functions execution name, unique
 * per execution; a re-run of a date writes under a new attempt and the day is switched over by the publication object.
 */
export const runLayout = {
  attemptPrefix: (loadDate: string, attempt: string) => `${prefixes.runs}load_date=${loadDate}/attempt=${attempt}/`,
  configSnapshot: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}campaigns.json`,
  factsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}facts/`,
  decisionsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}decisions/`,
  /** The export rows ExportLists unloads before writing the list files. */
  exportRowsPrefix: (loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}exports/rows/`,
  /** A run's summary, written by Report: beside the date's attempts, named by the run id (not an attempt object). */
  summaryKey: (loadDate: string, runId: string) => `${prefixes.runs}load_date=${loadDate}/run_id=${runId}/summary.json`,
} as const;

/** Whether `key` is an object of some attempt, i.e. under `runLayout.attemptPrefix(D, A)` (what the lake's retention tag marks). */
export function isAttemptKey(key: string): boolean {
  if (!key.startsWith(prefixes.runs)) return false;
  const [, loadDate, attempt] = /^load_date=([^/]+)\/attempt=([^/]+)\/./.exec(key.slice(prefixes.runs.length)) ?? [];
  return loadDate !== undefined && attempt !== undefined && key.startsWith(runLayout.attemptPrefix(loadDate, attempt));
}

/** Four digits, as in the shard folders `shard=0007`. */
export function shardName(shard: number): string {
  return String(shard).padStart(4, '0');
}

/** A facts table under an attempt's facts prefix (the manifest carries the prefix): `<facts prefix><table>/`. */
export function factsTablePrefix(factsPrefix: string, table: string): string {
  return `${factsPrefix}${table}/`;
}

/** One shard of a facts table: `<facts prefix><table>/shard=SSSS/`, the objects EvaluateShard reads. */
export function factsShardPrefix(factsPrefix: string, table: string, shard: number): string {
  return `${factsTablePrefix(factsPrefix, table)}shard=${shardName(shard)}/`;
}

/** A decision table of an attempt (what Finalize registers): `runs/load_date=D/attempt=A/decisions/<table>/`. */
export function decisionTablePrefix(loadDate: string, attempt: string, table: DecisionTable): string {
  return `${runLayout.decisionsPrefix(loadDate, attempt)}${table}/`;
}

/** The one object a shard writes per decision table: a retry of the shard overwrites exactly these keys. */
export function decisionObjectKey(loadDate: string, attempt: string, table: DecisionTable, shard: number): string {
  return `${decisionTablePrefix(loadDate, attempt, table)}shard=${shardName(shard)}/part-00000.jsonl.gz`;
}

/** Lake-relative key of a date's publication object (docs/finalize.md): it exists once the day is published. */
export function publicationKey(loadDate: string): string {
  if (!isIsoDate(loadDate)) throw new Error(`not a YYYY-MM-DD load date: ${JSON.stringify(loadDate)}`);
  return `${prefixes.published}load_date=${loadDate}.json`;
}

/**
 * Where a lake table's data lives in the lake bucket (a Glue table's location, its partitions below it; locally the
 * table's folder under `<home>/lake/`). Only plain lower-case names, as every table and column name of the SQL.
 */
export function lakeTablePrefix(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a valid table or column name: ${JSON.stringify(table)}`);
  return `${table}/`;
}

/** The publication objects of every date (`publicationKey`), the location of table `publications`. */
export const publishedPrefix = prefixes.published;

/** Run-scoped objects (bronze and silver tables, manifests), expired by lifecycle: the prefix the grants and the lifecycle rule name. */
export const transientPrefix = prefixes.transient;

/** One engine instance's run-scoped objects: `_transient/<token>/<name>/`; `token` is fresh per engine, so runs never share them. */
export function transientTablePrefix(token: string, name: string): string {
  return `${prefixes.transient}${token}/${lakeTablePrefix(name)}`;
}

/** The list of a consent transform's files read (`consent_files_read`), one folder per as-of date. */
export function consentFilesReadPrefix(asOfDate: string): string {
  return `${prefixes.transient}consent_files_read/${consentPartitionColumn}=${asOfDate}/`;
}

/** A date's consent changes objects (rows to load into DynamoDB): `consent/changes/as_of_date=D/`. */
export function consentChangesDatePrefix(asOfDate: string): string {
  return `${prefixes.consentChanges}${consentPartitionColumn}=${asOfDate}/`;
}

/**
 * The lake prefix of one transform's changes objects: under the date's, named by the run and the moment, so
 * that no later transform (a retry, a re-run) rewrites the objects a pending load refers to.
 */
export function consentChangesPrefix(asOfDate: string, runId: string, at: Date): string {
  const run = runId.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${consentChangesDatePrefix(asOfDate)}run=${run}-${at.getTime().toString(36)}/`;
}

/** An opt-out event as received: `events/opt-outs/date=<day>/<event id>.jsonl.gz`, so the same event delivered again is the same object. */
export function optOutEventKey(day: string, eventId: string): string {
  return `${prefixes.optOutEvents}date=${day}/${eventId}.jsonl.gz`;
}

/** Where the quality figures are kept in the lake bucket (docs/quality-gates.md). */
export const qualityLayout = {
  /** The accepted figures of every date of a layer: `quality/<layer>/load_date=D.json`. */
  acceptedPrefix: (layer: QualityLayer) => `${prefixes.quality}${layer}/`,
  accepted: (layer: QualityLayer, loadDate: string) => `${qualityLayout.acceptedPrefix(layer)}load_date=${loadDate}.json`,
  /** An attempt's figures of a layer accepted at publication: `runs/load_date=D/attempt=A/quality/<layer>.json`. */
  attempt: (layer: QualityLayer, loadDate: string, attempt: string) => `${runLayout.attemptPrefix(loadDate, attempt)}quality/${layer}.json`,
} as const;
