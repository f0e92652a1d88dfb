import { describe, expect, it } from 'vitest';
import {
  consentChangesDatePrefix,
  consentChangesPrefix,
  consentFilesReadPrefix,
  decisionObjectKey,
  decisionTablePrefix,
  factsShardPrefix,
  factsTablePrefix,
  isAttemptKey,
  lakeTablePrefix,
  optOutEventKey,
  publicationKey,
  publishedPrefix,
  qualityLayout,
  runLayout,
  shardName,
  transientPrefix,
  transientTablePrefix,
} from '../../../domain/run/run-layout.ts';

/** The lake's keys, written out: a change of the layout module must change these on purpose (the lake already holds them). */

const D = '2026-11-20';
const A = 'exec-1';

describe('the lake layout', () => {
  it("keeps the accepted quality figures per layer and date, and an attempt's figures beside its artifacts", () => {
    expect(qualityLayout.acceptedPrefix('facts')).toBe('quality/facts/');
    expect(qualityLayout.accepted('facts', D)).toBe('quality/facts/load_date=2026-11-20.json');
    expect(qualityLayout.attempt('lists', D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/quality/lists.json');
  });

  it("keeps an attempt's artifacts under runs/load_date=D/attempt=A/", () => {
    expect(runLayout.attemptPrefix(D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/');
    expect(runLayout.configSnapshot(D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/campaigns.json');
    expect(runLayout.factsPrefix(D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/facts/');
    expect(runLayout.decisionsPrefix(D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/decisions/');
    expect(runLayout.exportRowsPrefix(D, A)).toBe('runs/load_date=2026-11-20/attempt=exec-1/exports/rows/');
    expect(runLayout.summaryKey(D, '2026-11-20-abc')).toBe('runs/load_date=2026-11-20/run_id=2026-11-20-abc/summary.json');
  });

  it('names the facts shards and the decision objects of an attempt', () => {
    const facts = runLayout.factsPrefix(D, A);
    expect(factsTablePrefix(facts, 'customers')).toBe('runs/load_date=2026-11-20/attempt=exec-1/facts/customers/');
    expect(factsShardPrefix(facts, 'contacts', 7)).toBe('runs/load_date=2026-11-20/attempt=exec-1/facts/contacts/shard=0007/');
    expect(shardName(12)).toBe('0012');
    expect(decisionTablePrefix(D, A, 'lists')).toBe('runs/load_date=2026-11-20/attempt=exec-1/decisions/lists/');
    expect(decisionObjectKey(D, A, 'suppressions', 3)).toBe('runs/load_date=2026-11-20/attempt=exec-1/decisions/suppressions/shard=0003/part-00000.jsonl.gz');
  });

  it("tells an attempt's objects from the run summaries and the other prefixes", () => {
    expect(isAttemptKey(runLayout.configSnapshot(D, A))).toBe(true);
    expect(isAttemptKey(`${factsShardPrefix(runLayout.factsPrefix(D, A), 'customers', 0)}part-0.gz`)).toBe(true);
    expect(isAttemptKey(runLayout.attemptPrefix(D, A))).toBe(false);
    expect(isAttemptKey(runLayout.summaryKey(D, 'r1'))).toBe(false);
    expect(isAttemptKey(publicationKey(D))).toBe(false);
    expect(isAttemptKey('xruns/load_date=2026-11-20/attempt=exec-1/campaigns.json')).toBe(false);
  });

  it('keeps one publication object per date under published/', () => {
    expect(publishedPrefix).toBe('published/');
    expect(publicationKey(D)).toBe('published/load_date=2026-11-20.json');
    expect(() => publicationKey('2026-11-31')).toThrow('not a YYYY-MM-DD load date: "2026-11-31"');
  });

  it('places a lake table at <table>/ and only accepts plain table names', () => {
    expect(lakeTablePrefix('phone_consent')).toBe('phone_consent/');
    expect(lakeTablePrefix('rpt_outbound_lists_attempts')).toBe('rpt_outbound_lists_attempts/');
    expect(() => lakeTablePrefix('../runs')).toThrow('not a valid table or column name: "../runs"');
  });

  it('keeps run-scoped objects under _transient/', () => {
    expect(transientPrefix).toBe('_transient/');
    expect(transientTablePrefix('0123456789ab', 'consent_bronze')).toBe('_transient/0123456789ab/consent_bronze/');
    expect(transientTablePrefix('0123456789ab', 'consent_raw_manifest')).toBe('_transient/0123456789ab/consent_raw_manifest/');
    expect(consentFilesReadPrefix(D)).toBe('_transient/consent_files_read/as_of_date=2026-11-20/');
  });

  it("names each consent transform's changes by date, run and moment", () => {
    expect(consentChangesDatePrefix(D)).toBe('consent/changes/as_of_date=2026-11-20/');
    expect(consentChangesPrefix(D, '2026-11-20-abc', new Date(0))).toBe('consent/changes/as_of_date=2026-11-20/run=2026-11-20-abc-0/');
    expect(consentChangesPrefix(D, 'run/with spaces', new Date(1_700_000_000_000))).toBe('consent/changes/as_of_date=2026-11-20/run=run_with_spaces-loyw3v28/');
  });

  it('keeps an opt-out event as events/opt-outs/date=D/<id>.jsonl.gz', () => {
    expect(optOutEventKey(D, 'evt-1')).toBe('events/opt-outs/date=2026-11-20/evt-1.jsonl.gz');
  });
});
