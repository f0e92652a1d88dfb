import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { isOptedOut } from '../../../adapters/consent-store.ts';
import { GenesysClient, genesysEndpoints } from '../../../adapters/genesys-client.ts';
import { createLogger } from '../../../adapters/logger.ts';
import { resources } from '../../../config/resources.ts';
import { dailyFeedFiles, dailyFeeds } from '../../../domain/feeds/daily-feeds.ts';
import { genesysContactListDefinition } from '../../../domain/exports/layout.ts';
import { DNC_LIST } from '../../../domain/genesys/definitions.ts';
import type { ExportedList } from '../../../domain/exports/exported-list.ts';
import { pushExports } from '../../../lambdas/genesys-push/push.ts';
import { genesysDispositionsKey, pullGenesysResults } from '../../../lambdas/genesys-results/results.ts';
import { startGenesysStandIn, type GenesysStandIn, type StandInConversation } from '../../../local/runtime/genesys-stand-in.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { LOAD_DATE, RUN_ID, temporaryDirectory, writeExports, writeSnapshot } from '../../domain/exports/fixtures.ts';
import { builtInTemplate } from '../../../domain/exports/template.ts';

const CREDENTIALS = { clientId: 'outbound-results', clientSecret: 's3cr3t' };
const CALL_LIST_ID = 'c0ffee00-0000-4000-8000-00000000000a';
const SMS_LIST_ID = 'c0ffee00-0000-4000-8000-00000000000b';
const OTHER_LIST_ID = 'c0ffee00-0000-4000-8000-00000000000c';
const lists: ExportedList[] = [
  {
    set_name: 'COLLECTIONS_CALL',
    list_name: 'BLUE_FCU_1_29',
    channel: 'call',
    genesys_list_id: CALL_LIST_ID,
    template: builtInTemplate('call'),
    held: false,
    delivery: null,
  },
  { set_name: 'TEXTS', list_name: 'SMS_REMINDER', channel: 'sms', genesys_list_id: SMS_LIST_ID, template: builtInTemplate('sms'), held: false, delivery: null },
];
/** writeExports: the customer at index i has the phone +1312555000i (zone America/Chicago) and the account 1000000000000iii. */
const phoneOf = (index: number) => `+1312555${String(index).padStart(4, '0')}`;
const accountOf = (payoffuid: string) => `1000000000000${payoffuid.slice(1).padStart(3, '0')}`;
/** 2026-11-20 is in CST: 15:05:33Z is 09:05:33-06:00 on the customer's clock. */
const AT = `${LOAD_DATE}T15:05:33.000Z`;
const PULLED_AT = new Date(`${LOAD_DATE}T23:30:00Z`);

let runtime: LocalRuntime;
let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let data: Awaited<ReturnType<typeof temporaryDirectory>>;
let standIn: GenesysStandIn;
let dncListId: string;

const client = () => new GenesysClient({ endpoints: genesysEndpoints(standIn.url), credentials: CREDENTIALS, sleep: async () => {} });
const pull = () => pullGenesysResults(client(), LOAD_DATE, resources.buckets.exports, createLogger(), PULLED_AT);

/** A dialer conversation: the customer's outbound session and, when given, an agent who wrapped it up. */
function conversation(
  id: string,
  options: { list: string; contact: string; dnis: string; start?: string; media?: 'voice' | 'message'; systemCode?: string; agentCode?: string },
): StandInConversation {
  const customer = {
    purpose: 'customer',
    sessions: [
      {
        mediaType: options.media ?? 'voice',
        dnis: `tel:${options.dnis}`,
        outboundContactId: options.contact,
        outboundContactListId: options.list,
        segments: options.systemCode ? [{ segmentType: 'wrapup', segmentEnd: `${LOAD_DATE}T15:06:00.000Z`, wrapUpCode: options.systemCode }] : [],
      },
    ],
  };
  const agent = {
    purpose: 'agent',
    sessions: [{ mediaType: 'voice', segments: [{ segmentType: 'wrapup', segmentEnd: `${LOAD_DATE}T15:09:00.000Z`, wrapUpCode: options.agentCode! }] }],
  };
  return { conversationId: id, conversationStart: options.start ?? AT, participants: options.agentCode ? [customer, agent] : [customer] };
}

/** The file as the feed readers take it: `|`-delimited lines, `\n` ends. */
async function writtenDispositions(): Promise<string[][]> {
  const text = gunzipSync(await readFile(join(data.path, genesysDispositionsKey(LOAD_DATE)))).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => line.split('|'));
}

beforeAll(async () => {
  home = await temporaryDirectory();
  data = await temporaryDirectory();
  runtime = await startLocalRuntime({ home: home.path, data: data.path });
});
afterAll(async () => {
  await runtime.stop();
  await home.cleanup();
  await data.cleanup();
});
beforeEach(async () => {
  standIn = await startGenesysStandIn({
    ...CREDENTIALS,
    contactLists: [
      { id: CALL_LIST_ID, ...genesysContactListDefinition('outbound call', 'call', builtInTemplate('call')) },
      { id: SMS_LIST_ID, ...genesysContactListDefinition('outbound sms', 'sms', builtInTemplate('sms')) },
    ],
  });
  ({ id: dncListId } = await client().createDncList(DNC_LIST));
  await writeSnapshot([
    { name: 'COLLECTIONS_CALL', channel: 'call', lists: [{ name: 'BLUE_FCU_1_29', genesys_list_id: CALL_LIST_ID }] },
    { name: 'TEXTS', channel: 'sms', lists: [{ name: 'SMS_REMINDER', genesys_list_id: SMS_LIST_ID }] },
  ]);
  await writeExports(lists, ['P1', 'P2', 'P3']);
  await pushExports({
    runId: RUN_ID,
    loadDate: LOAD_DATE,
    exportsBucket: resources.buckets.exports,
    lists,
    client: client(),
    suppressedPhones: [],
    deadline: Date.now() + 60_000,
    importPollMs: 1,
  });
});
afterEach(async () => {
  await standIn.close();
});

describe('the Genesys results loop against the stand-in', () => {
  it("writes the day's conversations of the pushed lists as the next run's dispositions, wrap-up codes mapped", async () => {
    // Prepare
    const rightParty = standIn.addWrapUpCode('Right Party Contact');
    const promise = standIn.addWrapUpCode('Promise To Pay');
    standIn.recordConversation(conversation('c1', { list: CALL_LIST_ID, contact: 'P1', dnis: phoneOf(0), systemCode: 'ININ-OUTBOUND-NO-ANSWER' }));
    standIn.recordConversation(
      conversation('c2', { list: CALL_LIST_ID, contact: 'P2', dnis: phoneOf(1), start: `${LOAD_DATE}T16:00:00.000Z`, agentCode: rightParty }),
    );
    standIn.recordConversation(conversation('c3', { list: CALL_LIST_ID, contact: 'P3', dnis: phoneOf(2), systemCode: 'ININ-OUTBOUND-RULE-SKIPPED' }));
    standIn.recordConversation(
      conversation('c4', { list: CALL_LIST_ID, contact: 'P3', dnis: phoneOf(2), start: `${LOAD_DATE}T17:00:00.000Z`, agentCode: promise }),
    );
    standIn.recordConversation(conversation('c5', { list: SMS_LIST_ID, contact: 'P1', dnis: phoneOf(0), media: 'message' }));
    // Not of the day's lists, or before the day began (Eastern): not read.
    standIn.recordConversation(conversation('c6', { list: OTHER_LIST_ID, contact: 'P1', dnis: phoneOf(0), systemCode: 'ININ-OUTBOUND-BUSY' }));
    standIn.recordConversation(
      conversation('c7', { list: CALL_LIST_ID, contact: 'P1', dnis: phoneOf(0), start: '2026-11-20T04:59:59.000Z', systemCode: 'ININ-OUTBOUND-BUSY' }),
    );
    // Act
    const report = await pull();
    // Assess
    expect(report).toMatchObject({
      interval: '2026-11-20T05:00:00.000Z/2026-11-20T23:30:00.000Z',
      conversations: 5,
      attempts: 4,
      notDialed: 1,
      notExported: 0,
      unmapped: { 'Promise To Pay': 1 },
      dncOptOuts: 0,
      mismatches: [],
    });
    const [header, ...rows] = await writtenDispositions();
    expect(header).toEqual([...dailyFeeds.dispositions.columns]);
    expect(rows).toEqual([
      ['P1', accountOf('P1'), 'call', phoneOf(0), '2026-11-20T09:05:33-06:00', 'NO_ANSWER', 'N', 'collections'],
      ['P1', accountOf('P1'), 'sms', phoneOf(0), '2026-11-20T09:05:33-06:00', 'DELIVERED', 'N', 'collections'],
      ['P2', accountOf('P2'), 'call', phoneOf(1), '2026-11-20T10:00:00-06:00', 'RIGHT_PARTY_CONTACT', 'Y', 'collections'],
      // An unmapped code on a call an agent joined: an attempt, and possibly a conversation (fail closed).
      ['P3', accountOf('P3'), 'call', phoneOf(2), '2026-11-20T11:00:00-06:00', 'UNMAPPED', 'Y', 'collections'],
    ]);
    // The next day's run reads it as a dispositions file of the day, through the feed reader.
    expect(dailyFeedFiles([report.dispositionsKey], '2026-11-21').dispositions).toEqual([report.dispositionsKey]);
    const engine = await DuckDbEngine.open({ home: home.path, dataDir: data.path });
    try {
      await engine.registerFeeds('2026-11-21');
      const read = await engine.query<Record<string, string>>(
        `SELECT payoffuid, channel, disposition, is_conversation, CAST(attempt_date AS VARCHAR) AS attempt_date FROM dispositions_raw WHERE source_file LIKE '%_genesys.csv.gz' ORDER BY 1, 2, 3`,
      );
      expect(read).toEqual(
        rows.map(([payoffuid, , channel, , , disposition, is_conversation]) => ({ payoffuid, channel, disposition, is_conversation, attempt_date: LOAD_DATE })),
      );
    } finally {
      await engine.close();
    }
  });

  it("reads the stand-in's played dialer: one attempt per exported contact of each list", async () => {
    // Act
    const made = standIn.dialEveryContact(AT);
    const report = await pull();
    // Assess
    expect(made).toBe(6);
    expect(report).toMatchObject({ conversations: 6, attempts: 6, unmapped: {}, mismatches: [] });
    expect(
      (await writtenDispositions())
        .slice(1)
        .map((row) => row[5])
        .sort(),
    ).toEqual(['BUSY', 'NO_ANSWER', 'NO_ANSWER', 'RIGHT_PARTY_CONTACT', 'VOICEMAIL', 'VOICEMAIL']);
  });

  it('replaces its file on a later pull of the same day: the catch-up pull adds the late calls, nothing twice', async () => {
    // Prepare
    standIn.recordConversation(conversation('c1', { list: CALL_LIST_ID, contact: 'P1', dnis: phoneOf(0), systemCode: 'ININ-OUTBOUND-NO-ANSWER' }));
    await pull();
    standIn.recordConversation(
      conversation('c2', { list: CALL_LIST_ID, contact: 'P2', dnis: phoneOf(1), start: `${LOAD_DATE}T23:00:00.000Z`, systemCode: 'ININ-OUTBOUND-MACHINE' }),
    );
    // Act
    const report = await pull();
    // Assess
    expect(report.attempts).toBe(2);
    expect((await writtenDispositions()).slice(1).map((row) => row[5])).toEqual(['NO_ANSWER', 'VOICEMAIL']);
    expect((await readdir(join(data.path, `dispositions/date=${LOAD_DATE}`))).filter((name) => !name.startsWith('.'))).toEqual([
      genesysDispositionsKey(LOAD_DATE).split('/').at(-1),
    ]);
  });

  it('fails when a contact list does not hold exactly the customers exported to it, naming the list and the counts only, after writing the day', async () => {
    // Prepare: a contact removed in Genesys, one added that was not exported
    await client().removeContacts(CALL_LIST_ID, ['P2']);
    standIn.recordConversation(conversation('c1', { list: CALL_LIST_ID, contact: 'P1', dnis: phoneOf(0), systemCode: 'ININ-OUTBOUND-NO-ANSWER' }));
    // Act
    const failure = await pull().then(
      () => undefined,
      (error: Error) => error,
    );
    // Assess
    expect(failure?.message).toBe(
      `1 Genesys contact list(s) do not hold the customers exported to them on ${LOAD_DATE}: COLLECTIONS_CALL/BLUE_FCU_1_29 (Genesys contact list ${CALL_LIST_ID}): exported 3, in Genesys 2, missing 1, not exported 0`,
    );
    expect((await writtenDispositions()).length).toBe(2);
  });

  it('records the exported numbers agents put on the DNC list during the day as opt-outs of their accounts', async () => {
    // Prepare: an exported number and one no list exports
    await client().updateDncPhoneNumbers(dncListId, 'Add', [phoneOf(1), '+13125559999']);
    // Act
    const report = await pull();
    // Assess
    expect(report.dncOptOuts).toBe(1);
    expect(await isOptedOut(phoneOf(1))).toBe(true);
    expect(await isOptedOut(phoneOf(0))).toBe(false);
    const archived = await s3Client().send(
      new ListObjectsV2Command({ Bucket: resources.buckets.lake, Prefix: `${resources.prefixes.optOutEvents}date=${LOAD_DATE}/` }),
    );
    expect(archived.KeyCount).toBe(1);
  });
});
