import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { GenesysApiError, GenesysClient, genesysEndpoints } from '../../../adapters/genesys-client.ts';
import { resources } from '../../../config/resources.ts';
import type { Channel } from '../../../domain/campaigns/schema.ts';
import { genesysContactListDefinition } from '../../../domain/exports/layout.ts';
import { builtInTemplate, templateHeader } from '../../../domain/exports/template.ts';
import { DNC_LIST, DNC_LIST_NAME } from '../../../domain/genesys/definitions.ts';
import type { ExportedList } from '../../../domain/exports/exported-list.ts';
import { handler } from '../../../lambdas/genesys-push/handler.ts';
import { pushExports } from '../../../lambdas/genesys-push/push.ts';
import { startGenesysStandIn, type GenesysStandIn } from '../../../local/runtime/genesys-stand-in.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { ATTEMPT, LOAD_DATE, RUN_ID, temporaryDirectory, writeExports, writeSnapshot } from '../../domain/exports/fixtures.ts';

const BUCKET = resources.buckets.exports;
const PREFIX = `exports/date=${LOAD_DATE}/`;
const CREDENTIALS = { clientId: 'outbound-pusher', clientSecret: 's3cr3t' };
const CALL_LIST_ID = 'c0ffee00-0000-4000-8000-000000000001';
const SMS_LIST_ID = 'c0ffee00-0000-4000-8000-000000000002';
const CALL_FILE = 'COLLECTIONS_CALL/BLUE_FCU_1_29.csv';
/** writeExports gives the customer at index i the phone +1312555000i on every call and SMS list. */
const phoneOf = (index: number) => `+1312555${String(index).padStart(4, '0')}`;

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
  {
    set_name: 'COLLECTIONS_CALL',
    list_name: 'NO_GENESYS',
    channel: 'call',
    genesys_list_id: null,
    template: builtInTemplate('call'),
    held: false,
    delivery: null,
  },
  { set_name: 'TEXTS', list_name: 'SMS_REMINDER', channel: 'sms', genesys_list_id: SMS_LIST_ID, template: builtInTemplate('sms'), held: false, delivery: null },
  { set_name: 'EMAILS', list_name: 'PAST_DUE_EMAIL', channel: 'email', genesys_list_id: null, template: builtInTemplate('email'), held: false, delivery: null },
];

const contactList = (id: string, channel: Channel) => ({ id, ...genesysContactListDefinition(`outbound ${id}`, channel, builtInTemplate(channel)) });

let runtime: LocalRuntime;
let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let standIn: GenesysStandIn;
let sleeps: number[];
let dncListId: string;

const client = (credentials = CREDENTIALS) =>
  new GenesysClient({ endpoints: genesysEndpoints(standIn.url), credentials, sleep: async (ms) => void sleeps.push(ms) });
/** Lists one at a time unless said otherwise, so the order of the stand-in's calls is the order of the push's steps. */
const push = (genesys = client(), suppressedPhones: string[] = [], concurrency = 1) =>
  pushExports({
    runId: RUN_ID,
    loadDate: LOAD_DATE,
    exportsBucket: BUCKET,
    lists,
    client: genesys,
    suppressedPhones,
    concurrency,
    deadline: Date.now() + 60_000,
    importPollMs: 10,
    sleep: async (ms) => void sleeps.push(ms),
  });
const routes = () => standIn.calls.map((call) => `${call.route} ${call.status}`);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

async function startOrg(contactLists = [contactList(CALL_LIST_ID, 'call'), contactList(SMS_LIST_ID, 'sms')]): Promise<void> {
  standIn = await startGenesysStandIn({ ...CREDENTIALS, contactLists });
  ({ id: dncListId } = await client().createDncList(DNC_LIST));
  standIn.calls.length = 0;
}

beforeAll(async () => {
  home = await temporaryDirectory();
  runtime = await startLocalRuntime({ home: home.path });
});
afterAll(async () => {
  await runtime.stop();
  await home.cleanup();
});
beforeEach(async () => {
  sleeps = [];
  await startOrg();
});
afterEach(async () => {
  await standIn.close();
});

describe('the daily push against the local Genesys stand-in', () => {
  it('replaces each list without /clear: contacts that left are removed, those that stay are updated in place and keep their callback', async () => {
    // Prepare: yesterday P1, P2, P3; an agent scheduled callbacks for P2 (stays) and P3 (leaves)
    await writeExports(lists, ['P1', 'P2', 'P3']);
    await push();
    const kept = standIn.scheduleCallback(CALL_LIST_ID, 'P2', `${LOAD_DATE}T15:00:00Z`);
    const dropped = standIn.scheduleCallback(CALL_LIST_ID, 'P3', `${LOAD_DATE}T16:00:00Z`);
    await writeExports(lists, ['P2', 'P4']);
    standIn.calls.length = 0;
    // Act: both lists at once
    const result = await push(client(), [], 2);
    // Assess
    expect(
      result.pushed.map(({ file, contactListId, rows, removed, importedRecords, uploads }) => ({
        file,
        contactListId,
        rows,
        removed,
        importedRecords,
        uploads,
      })),
    ).toEqual([
      { file: CALL_FILE, contactListId: CALL_LIST_ID, rows: 2, removed: 2, importedRecords: 2, uploads: 1 },
      { file: 'TEXTS/SMS_REMINDER.csv', contactListId: SMS_LIST_ID, rows: 2, removed: 2, importedRecords: 2, uploads: 1 },
    ]);
    expect(result.skipped).toEqual([
      { file: 'COLLECTIONS_CALL/NO_GENESYS.csv', reason: 'no genesys_list_id in the configuration' },
      { file: 'EMAILS/PAST_DUE_EMAIL.csv', reason: 'email lists go to the email service provider' },
    ]);
    expect([...standIn.contacts(CALL_LIST_ID).keys()].sort()).toEqual(['P2', 'P4']);
    expect(standIn.contacts(CALL_LIST_ID).get('P2')).toMatchObject({ payoffuid: 'P2', phone_1: phoneOf(0) });
    expect(standIn.callbacks().map(({ id, state }) => ({ id, state }))).toEqual([
      { id: kept.id, state: 'SCHEDULED' },
      { id: dropped.id, state: 'CANCELLED' },
    ]);
    expect(routes().some((route) => route.startsWith('clear'))).toBe(false);
    const upload = standIn.uploads.filter((candidate) => candidate.contactListId === CALL_LIST_ID).at(-1)!;
    expect(upload).toMatchObject({
      contactListId: CALL_LIST_ID,
      contactIdColumn: 'payoffuid',
      fileName: 'BLUE_FCU_1_29.csv',
      header: templateHeader(builtInTemplate('call'), 'call'),
    });
  });

  it('fails the run when an import completes short, naming the list and both counts', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2', 'P3']);
    standIn.nextImport({ skipRecords: 1 });
    // Act
    const failure = await failureOf(push());
    // Assess
    expect(failure?.message).toBe(
      `Genesys push failed for 1 of 2 lists: COLLECTIONS_CALL/BLUE_FCU_1_29 (Genesys contact list ${CALL_LIST_ID}): imported 2 of 3 manifest rows`,
    );
    expect(failure?.message).not.toMatch(/P1|\+1312/);
  });

  it("fails the run when an import fails, with Genesys's reason", async () => {
    // Prepare
    await writeExports(lists, ['P1']);
    standIn.nextImport({ failureReason: 'contact list locked by a running campaign' });
    // Act
    const failure = await failureOf(push());
    // Assess
    expect(failure?.message).toMatch(/BLUE_FCU_1_29 \(Genesys contact list .*\): import failed: contact list locked by a running campaign/);
  });

  it('waits out a 429 as Retry-After says, then posts the upload once', async () => {
    // Prepare
    await writeExports(lists, ['P1']);
    standIn.failNext('upload', { status: 429, retryAfterSeconds: 3 });
    standIn.failNext('token', { status: 502 });
    // Act
    const result = await push();
    // Assess
    expect(result.pushed).toHaveLength(2);
    expect(sleeps.filter((ms) => ms >= 1_000)).toEqual([1_000, 3_000]);
    expect(routes().filter((route) => /^(token|upload)/.test(route))).toEqual(['token 502', 'token 200', 'upload 429', 'upload 200', 'upload 200']);
  });

  it('reconciles an upload whose answer was lost instead of posting it again', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2']);
    standIn.loseNextAnswer('upload');
    // Act
    const result = await push();
    // Assess: the first post landed (its import was under way), so it was not posted again
    expect(result.pushed[0]).toMatchObject({ contactListId: CALL_LIST_ID, uploads: 1, importedRecords: 2 });
    expect(standIn.uploads.filter((upload) => upload.contactListId === CALL_LIST_ID)).toHaveLength(1);
    expect(routes().filter((route) => route.startsWith('upload'))).toEqual(['upload 0', 'upload 200']);
    expect([...standIn.contacts(CALL_LIST_ID).keys()]).toEqual(['P1', 'P2']);
  });

  it('posts an upload again only after reconciliation found that the first (a 503) did not land', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2']);
    standIn.failNext('upload', { status: 503 });
    // Act
    const result = await push();
    // Assess
    expect(result.pushed[0]).toMatchObject({ contactListId: CALL_LIST_ID, uploads: 2, importedRecords: 2 });
    const call = standIn.calls.map((entry) => `${entry.route} ${entry.status}`);
    const firstUpload = call.indexOf('upload 503');
    expect(call.slice(firstUpload, firstUpload + 4)).toEqual(['upload 503', 'importstatus 200', 'contacts search 200', 'upload 200']);
  });

  it('keeps the DNC list in step: adds the suppressed numbers no list exports today, removes the numbers exported today, keeps the rest', async () => {
    // Prepare: the DNC list already holds a number exported today and one the run knows nothing about
    const genesys = client();
    await genesys.updateDncPhoneNumbers(dncListId, 'Add', [phoneOf(0), '+12125550199']);
    await writeExports(lists, ['P1', 'P2']);
    // Act: suppressed today: a number of no list today and one exported on a list (dropped from another)
    const result = await push(genesys, ['+13125559999', phoneOf(1)]);
    // Assess
    expect(result.dnc).toEqual({ dncListId, added: 1, removed: 1 });
    expect(standIn.dncPhoneNumbers(dncListId)).toEqual(['+12125550199', '+13125559999']);
  });

  it("touches nothing when a list has no contact list, another layout, a file that is not the manifest's, or no DNC list", async () => {
    await writeExports(lists, ['P1']);
    const touched = () => routes().filter((route) => /^(contacts delete|upload|dnc phonenumbers)/.test(route));
    // bad credentials
    expect((await failureOf(push(client({ ...CREDENTIALS, clientSecret: 'wrong' }))))?.message).toBe('Genesys Cloud get token: HTTP 401: invalid_client');
    // a list with no contact list in the org
    await standIn.close();
    await startOrg([contactList(CALL_LIST_ID, 'call')]);
    expect((await failureOf(push()))?.message).toBe(
      `list TEXTS/SMS_REMINDER: no Genesys contact list ${SMS_LIST_ID} nor one named "outbound TEXTS/SMS_REMINDER": run outbound genesys apply`,
    );
    // a contact list of other columns
    await standIn.close();
    const sms = contactList(SMS_LIST_ID, 'sms');
    await startOrg([contactList(CALL_LIST_ID, 'call'), { ...sms, phoneColumns: sms.phoneColumns.slice(1), columnNames: sms.columnNames.slice(0, -1) }]);
    expect((await failureOf(push()))?.message).toBe(
      `list TEXTS/SMS_REMINDER → Genesys contact list ${SMS_LIST_ID}: columns missing from the contact list: ${sms.columnNames.at(-1)}; phone_1 is not declared as a phone column`,
    );
    expect(touched()).toEqual([]);
    // no DNC list
    await standIn.close();
    standIn = await startGenesysStandIn({ ...CREDENTIALS, contactLists: [contactList(CALL_LIST_ID, 'call'), contactList(SMS_LIST_ID, 'sms')] });
    expect((await failureOf(push()))?.message).toBe(`no Genesys DNC list named "${DNC_LIST_NAME}": run outbound genesys apply`);
    expect(touched()).toEqual([]);
    // a file changed after the manifest
    await standIn.close();
    await startOrg();
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${CALL_FILE}`, Body: 'tampered' }));
    expect((await failureOf(push()))?.message).toMatch(/COLLECTIONS_CALL\/BLUE_FCU_1_29.csv: does not match the manifest/);
    expect(touched()).toEqual([]);
  });

  it('refuses, touching nothing, a list exported in parts (each part would remove the others as leavers)', async () => {
    // Prepare: the call list's file listed as two parts of one list.
    const manifest = await writeExports(lists, ['P1']);
    const call = manifest.files.find((entry) => entry.file === CALL_FILE)!;
    manifest.files.push({ ...call, part: 2 });
    call.part = 1;
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}manifest.json`, Body: JSON.stringify(manifest) }));

    // Act
    const failure = await failureOf(push());

    // Assess
    expect(failure?.message).toBe(
      'lists exported in several parts cannot be pushed to one Genesys contact list each: COLLECTIONS_CALL/BLUE_FCU_1_29 (2 parts); split the list in the configuration',
    );
    expect(routes().filter((route) => /^(contacts delete|upload|dnc phonenumbers)/.test(route))).toEqual([]);
  });

  it('renews a token the service no longer accepts', async () => {
    // Prepare
    await writeExports(lists, ['P1']);
    const genesys = client();
    await push(genesys);
    standIn.revokeTokens();
    // Act
    const result = await push(genesys);
    // Assess
    expect(result.pushed).toHaveLength(2);
    expect(routes().filter((route) => route.startsWith('token'))).toEqual(['token 200', 'token 200']);
  });

  it('retries a persistent 5xx on an idempotent call and then names the operation', async () => {
    // Prepare
    await writeExports(lists, ['P1']);
    standIn.failNext('contacts search', ...Array.from({ length: 5 }, () => ({ status: 503 })));
    // Act
    const failure = await failureOf(push());
    // Assess
    expect(failure?.message).toMatch(
      /BLUE_FCU_1_29 .*: Genesys Cloud search contacts: HTTP 503: service.unavailable: injected failure \(contextId [0-9a-f-]+\)/,
    );
    expect(sleeps.filter((ms) => ms >= 1_000)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('the stand-in refuses an upload whose header is not the contact list', async () => {
    // Prepare
    const csv = Buffer.from('payoffuid,payoffuid\r\nP1,P1\r\n');
    // Act
    const failure = await failureOf(client().uploadContactList(CALL_LIST_ID, csv, 'bad.csv', 'payoffuid'));
    // Assess
    expect(failure).toBeInstanceOf(GenesysApiError);
    expect((failure as GenesysApiError).status).toBe(400);
    expect(failure?.message).toMatch(/invalid.contact.list.file: column "payoffuid" appears twice; columns missing: account_number/);
    expect(standIn.uploads).toEqual([]);
  });
});

describe('Genesys push handler', () => {
  let extension: Server;
  let saved: NodeJS.ProcessEnv;
  beforeAll(async () => {
    saved = { ...process.env };
    // The AWS Parameters and Secrets Lambda Extension's HTTP interface, as the handler reads it.
    extension = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const authorized = request.headers['x-aws-parameters-secrets-token'] === 'session-token';
      const known = url.pathname === '/secretsmanager/get' && url.searchParams.get('secretId') === 'outbound/genesys';
      response.writeHead(authorized && known ? 200 : 400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          Name: 'outbound/genesys',
          SecretString: JSON.stringify({ client_id: CREDENTIALS.clientId, client_secret: CREDENTIALS.clientSecret }),
        }),
      );
    });
    await new Promise<void>((listening) => extension.listen(0, 'localhost', () => listening()));
  });
  afterAll(async () => {
    await new Promise((closed) => extension.close(closed));
  });
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  it('is a no-op unless a Genesys environment is configured', async () => {
    delete process.env.OUTBOUND_GENESYS_ENVIRONMENT;
    await expect(handler({ runId: RUN_ID, attempt: ATTEMPT, loadDate: LOAD_DATE })).resolves.toEqual({ enabled: false });
    await expect(handler({ runId: RUN_ID, attempt: ATTEMPT })).rejects.toThrow(/invalid Genesys push input[\s\S]*loadDate/);
  });

  it('reads the OAuth client from the secret, the suppressed phones from the published day, and pushes the lists of the configuration snapshot', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2']);
    await writeSnapshot([
      { name: 'COLLECTIONS_CALL', channel: 'call', lists: [{ name: 'BLUE_FCU_1_29', genesys_list_id: CALL_LIST_ID }, { name: 'NO_GENESYS' }] },
      { name: 'TEXTS', channel: 'sms', lists: [{ name: 'SMS_REMINDER', genesys_list_id: SMS_LIST_ID }] },
      { name: 'EMAILS', channel: 'email', lists: [{ name: 'PAST_DUE_EMAIL' }] },
    ]);
    const engine = await DuckDbEngine.open({ home: home.path, memoryLimit: '256MB' });
    await engine.defineView(
      'rpt_outbound_lists_suppression',
      `SELECT * FROM (VALUES (DATE '${LOAD_DATE}', 'CONTACT', 'INTERNAL_DNC', 'P9', 'COLLECTIONS_CALL', 'BLUE_FCU_1_29', '+13125557777'),
        (DATE '${LOAD_DATE}', 'CONTACT', 'NO_EMAIL_CONSENT', 'P9', 'EMAILS', 'PAST_DUE_EMAIL', 'p9@example.com'),
        (DATE '2026-11-19', 'CONTACT', 'INTERNAL_DNC', 'P8', 'COLLECTIONS_CALL', 'BLUE_FCU_1_29', '+13125558888'))
        AS t(load_date, suppression_type, suppression_reason, payoffuid, set_name, list_name, contact_value)`,
    );
    await engine.close();
    Object.assign(process.env, {
      OUTBOUND_GENESYS_ENVIRONMENT: standIn.url,
      OUTBOUND_GENESYS_SECRET_NAME: 'outbound/genesys',
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((extension.address() as AddressInfo).port),
      AWS_SESSION_TOKEN: 'session-token',
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // Act
    const output = await handler({ runId: RUN_ID, attempt: ATTEMPT, loadDate: LOAD_DATE });
    // Assess
    expect(output).toMatchObject({
      enabled: true,
      pushed: [
        { contactListId: CALL_LIST_ID, rows: 2 },
        { contactListId: SMS_LIST_ID, rows: 2 },
      ],
      dnc: { added: 1, removed: 0 },
    });
    expect([...standIn.contacts(SMS_LIST_ID).keys()]).toEqual(['P1', 'P2']);
    expect(standIn.dncPhoneNumbers(dncListId)).toEqual(['+13125557777']);
  });
});
