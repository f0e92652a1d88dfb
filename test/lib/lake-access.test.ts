import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { resources } from '../../config/resources.ts';
import { acceptedOnPass, QUALITY_LAYERS } from '../../domain/run/quality-gates.ts';
import { verificationMarkerKey } from '../../domain/feeds/raw-verification.ts';
import { consentChangesPrefix, decisionObjectKey, lakeTablePrefix, publicationKey, qualityLayout, runLayout } from '../../domain/run/run-layout.ts';
import { attemptsTable, consentStateTables, consentTables, optOutRegisterTable, publishedTables } from '../../domain/run/lake-tables.ts';
import { lakeGrants } from '../../lib/lake-access.ts';
import { synthesize, type Synthesized } from './synth.ts';

/**
 * The steps that run Athena may touch only the lake prefixes their code builds keys under (issue 11 item 16): the
 * statements name exactly lib/lake-access.ts's grants, and every key the steps' code builds (from the same
 * constants and key builders) is allowed for the action the code uses on it.
 */

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ full: false });
});
afterAll(() => synth?.dispose());

type Step = keyof typeof lakeGrants;
type Action = 's3:ListBucket' | 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:PutObjectTagging';

const functionOf = (step: Step): IFunction =>
  ({
    'consent-transform': synth.stack.functions.consentTransform,
    'build-customer-facts': synth.stack.functions.buildCustomerFacts,
    finalize: synth.stack.functions.finalize,
    'export-lists': synth.stack.functions.exportLists,
    'genesys-push': synth.stack.functions.genesysPush,
    'load-dial-gate': synth.stack.functions.loadDialGate,
    'genesys-results': synth.stack.functions.genesysResults,
  })[step];

const lakeLogicalId = () => synth.stack.resolve(synth.stack.getLogicalId(synth.stack.storage.lake.node.defaultChild as CfnElement));

/** The lake key patterns (after `<lake arn>/`) each S3 action of the step's role is allowed on; `s3:ListBucket`: the `s3:prefix` patterns. */
function lakePatterns(step: Step): Map<string, string[]> {
  const roleId = synth.stack.resolve(synth.stack.getLogicalId(functionOf(step).role!.node.defaultChild as CfnElement));
  const statements = Object.values(synth.template.findResources('AWS::IAM::Policy'))
    .filter((policy: any) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
  const patterns = new Map<string, string[]>();
  const add = (action: string, pattern: string) => patterns.set(action, [...(patterns.get(action) ?? []), pattern]);
  for (const statement of statements) {
    for (const resource of [statement.Resource].flat()) {
      const parts = resource?.['Fn::Join']?.[1];
      const onLake = JSON.stringify(resource) === JSON.stringify({ 'Fn::GetAtt': [lakeLogicalId(), 'Arn'] });
      for (const action of [statement.Action].flat() as string[]) {
        if (!action.startsWith('s3:')) continue;
        if (parts && JSON.stringify(parts[0]) === JSON.stringify({ 'Fn::GetAtt': [lakeLogicalId(), 'Arn'] })) add(action, (parts[1] as string).slice(1));
        if (onLake && action === 's3:ListBucket') for (const prefix of statement.Condition?.StringLike?.['s3:prefix'] ?? ['*']) add(action, prefix);
      }
    }
  }
  return patterns;
}

/** IAM wildcard matching: `*` is any run of characters, `/` included. */
const matches = (pattern: string, key: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(key);
const allowed = (step: Step, action: Action, key: string) => (lakePatterns(step).get(action) ?? []).some((pattern) => matches(pattern, key));

const D = '2026-11-20';
const A = 'exec-0123';
const partition = (table: string, partitionPath: string) => `${lakeTablePrefix(table)}${partitionPath}/0123456789ab/part-00000.parquet`;
const queryResult = `${resources.prefixes.athenaResults}q-1.csv`;
const transientTable = `${resources.prefixes.transient}0123456789ab/consent_bronze/part-0.parquet`;

/** What each step's code does to which lake key (Athena's own reads and writes with the step's credentials included). */
const uses: Record<Step, [Action[], string][]> = {
  'consent-transform': [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket'], transientTable],
    [['s3:PutObject'], `${resources.prefixes.transient}consent_files_read/as_of_date=${D}/part-00000.jsonl.gz`],
    ...[...Object.values(consentStateTables), ...Object.values(consentTables)].map((table): [Action[], string] => [
      ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'],
      partition(table, `as_of_date=${D}`),
    ]),
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'], `${consentChangesPrefix(D, `${D}-abc`, new Date(0))}part-0.gz`],
    ...QUALITY_LAYERS.filter(acceptedOnPass).map((layer): [Action[], string] => [
      ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
      qualityLayout.accepted(layer, D),
    ]),
  ],
  'build-customer-facts': [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket'], transientTable],
    [['s3:GetObject', 's3:ListBucket'], partition(consentTables.gold, `as_of_date=${D}`)],
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'], partition(optOutRegisterTable, `as_of_date=${D}`)],
    [['s3:GetObject', 's3:ListBucket'], `${resources.prefixes.optOutEvents}date=${D}/event-1.jsonl.gz`],
    [['s3:PutObject', 's3:ListBucket'], verificationMarkerKey(resources.prefixes.rawVerified, `loan_tape/asof=${D}/loan_tape.csv.gz`, { size: 1, tag: '"e"' })],
    [
      ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'],
      `${runLayout.factsPrefix(D, A)}customers/shard=0000/part-0.gz`,
    ],
    [['s3:PutObject', 's3:PutObjectTagging'], qualityLayout.attempt('facts', D, A)],
    [['s3:GetObject', 's3:ListBucket'], qualityLayout.accepted('facts', D)],
  ],
  finalize: [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket'], `${resources.prefixes.transient}0123456789ab/list_capacity_cuts/part-0.parquet`],
    [['s3:GetObject', 's3:ListBucket'], decisionObjectKey(D, A, 'lists', 0)],
    [['s3:GetObject', 's3:PutObjectTagging'], runLayout.configSnapshot(D, A)],
    [['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject'], qualityLayout.attempt('lists', D, A)],
    [['s3:GetObject'], qualityLayout.attempt('facts', D, A)],
    ...(['facts', 'lists'] as const).map((layer): [Action[], string] => [['s3:PutObject', 's3:GetObject', 's3:ListBucket'], qualityLayout.accepted(layer, D)]),
    ...publishedTables.map((table): [Action[], string] => [
      ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'],
      partition(attemptsTable(table), `load_date=${D}/attempt=${A}`),
    ]),
    [['s3:PutObject', 's3:GetObject', 's3:ListBucket'], publicationKey(D)],
  ],
  'export-lists': [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:GetObject'], runLayout.configSnapshot(D, A)],
    [['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'], `${runLayout.exportRowsPrefix(D, A)}part-0.gz`],
    [['s3:GetObject', 's3:ListBucket'], partition(attemptsTable('rpt_outbound_lists'), `load_date=${D}/attempt=${A}`)],
    [['s3:GetObject', 's3:ListBucket'], partition(attemptsTable('rpt_outbound_list_contacts'), `load_date=${D}/attempt=${A}`)],
    [['s3:GetObject', 's3:ListBucket'], publicationKey(D)],
  ],
  'genesys-push': [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:GetObject'], runLayout.configSnapshot(D, A)],
    [['s3:GetObject', 's3:ListBucket'], partition(attemptsTable('rpt_outbound_lists_suppression'), `load_date=${D}/attempt=${A}`)],
    [['s3:GetObject', 's3:ListBucket'], publicationKey(D)],
  ],
  'load-dial-gate': [
    [['s3:PutObject', 's3:GetObject'], queryResult],
    [['s3:GetObject', 's3:ListBucket'], partition(attemptsTable('rpt_outbound_lists'), `load_date=${D}/attempt=${A}`)],
    [['s3:GetObject', 's3:ListBucket'], partition(attemptsTable('rpt_outbound_list_contacts'), `load_date=${D}/attempt=${A}`)],
    [['s3:GetObject', 's3:ListBucket'], publicationKey(D)],
    [['s3:GetObject', 's3:ListBucket'], partition(optOutRegisterTable, `as_of_date=${D}`)],
  ],
  'genesys-results': [
    [['s3:GetObject'], runLayout.configSnapshot(D, A)],
    [['s3:PutObject'], `${resources.prefixes.optOutEvents}date=${D}/0123abcd.jsonl.gz`],
  ],
};

describe('lake access of the Athena steps', () => {
  it.each(Object.keys(lakeGrants) as Step[])('%s: no statement on every key of the lake', (step) => {
    // Act
    const patterns = lakePatterns(step);
    // Assess
    expect([...patterns.values()].flat()).not.toContain('*');
    expect(patterns.get('s3:PutObject')!.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(lakeGrants) as Step[])('%s: its statements name exactly the prefixes of lib/lake-access.ts, action by action', (step) => {
    // Prepare
    const expected = new Map<string, string[]>();
    const add = (action: string, prefix: string) => expected.set(action, [...(expected.get(action) ?? []), `${prefix}*`]);
    for (const { prefix, access } of lakeGrants[step] as readonly { prefix: string; access: Record<string, boolean> }[]) {
      if (access.list) add('s3:ListBucket', prefix);
      if (access.read) add('s3:GetObject', prefix);
      if (access.write) add('s3:PutObject', prefix);
      if (access.delete) add('s3:DeleteObject', prefix);
      if (access.tag) add('s3:PutObjectTagging', prefix);
    }
    // Act
    const patterns = lakePatterns(step);
    // Assess
    for (const action of ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:PutObjectTagging']) {
      expect([...new Set(patterns.get(action) ?? [])].sort(), action).toEqual([...new Set(expected.get(action) ?? [])].sort());
    }
  });

  it.each(Object.keys(uses) as Step[])('%s: every key its code builds is granted for what the code does with it', (step) => {
    for (const [actions, key] of uses[step]) {
      for (const action of actions) expect(allowed(step, action, key), `${action} ${key}`).toBe(true);
    }
  });

  it('keeps each step off what other steps own: history, publications, other layers', () => {
    // Assess
    expect(allowed('build-customer-facts', 's3:PutObject', runLayout.configSnapshot(D, A))).toBe(false);
    expect(allowed('build-customer-facts', 's3:PutObject', publicationKey(D))).toBe(false);
    expect(allowed('build-customer-facts', 's3:PutObject', partition(consentTables.gold, `as_of_date=${D}`))).toBe(false);
    expect(allowed('consent-transform', 's3:PutObject', `${runLayout.factsPrefix(D, A)}customers/x`)).toBe(false);
    expect(allowed('consent-transform', 's3:PutObject', publicationKey(D))).toBe(false);
    expect(allowed('finalize', 's3:PutObject', runLayout.configSnapshot(D, A))).toBe(false);
    expect(allowed('finalize', 's3:DeleteObject', `${runLayout.factsPrefix(D, A)}customers/x`)).toBe(false);
    expect(allowed('export-lists', 's3:PutObject', publicationKey(D))).toBe(false);
    expect(allowed('export-lists', 's3:PutObject', partition(attemptsTable('rpt_outbound_lists'), `load_date=${D}/attempt=${A}`))).toBe(false);
    expect(allowed('genesys-push', 's3:GetObject', `${runLayout.factsPrefix(D, A)}customers/x`)).toBe(false);
    expect(allowed('genesys-push', 's3:PutObject', publicationKey(D))).toBe(false);
    expect(allowed('load-dial-gate', 's3:GetObject', `${runLayout.factsPrefix(D, A)}customers/x`)).toBe(false);
    expect(allowed('load-dial-gate', 's3:PutObject', partition(optOutRegisterTable, `as_of_date=${D}`))).toBe(false);
    expect(allowed('genesys-results', 's3:GetObject', `${resources.prefixes.optOutEvents}date=${D}/0123abcd.jsonl.gz`)).toBe(false);
    expect(allowed('genesys-results', 's3:PutObject', publicationKey(D))).toBe(false);
  });
});
