import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../adapters/aws-clients.ts';
import { GenesysApiError, GenesysClient, genesysEndpoints, type GenesysContactList } from '../../adapters/genesys-client.ts';
import { resources } from '../../config/resources.ts';
import type { Channel } from '../../domain/campaigns/schema.ts';
import { exportColumns, genesysContactListDefinition } from '../../domain/exports/layout.ts';
import type { ExportedList } from '../../lambdas/export-lists/exports.ts';
import { handler } from '../../lambdas/genesys-push/handler.ts';
import { pushExports } from '../../lambdas/genesys-push/push.ts';
import { startGenesysStandIn, type GenesysStandIn } from '../../local/genesys-stand-in.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { ATTEMPT, LOAD_DATE, RUN_ID, temporaryDirectory, writeExports, writeSnapshot } from './fixtures.ts';

const BUCKET = resources.buckets.exports;
const PREFIX = `exports/date=${LOAD_DATE}/`;
const CREDENTIALS = { clientId: 'outbound-pusher', clientSecret: 's3cr3t' };
const CALL_LIST_ID = 'c0ffee00-0000-4000-8000-000000000001';
const SMS_LIST_ID = 'c0ffee00-0000-4000-8000-000000000002';

const lists: ExportedList[] = [
  { set_name: 'COLLECTIONS_CALL', list_name: 'BLUE_FCU_1_29', channel: 'call', genesys_list_id: CALL_LIST_ID },
  { set_name: 'COLLECTIONS_CALL', list_name: 'NO_GENESYS', channel: 'call', genesys_list_id: null },
  { set_name: 'TEXTS', list_name: 'SMS_REMINDER', channel: 'sms', genesys_list_id: SMS_LIST_ID },
  { set_name: 'EMAILS', list_name: 'PAST_DUE_EMAIL', channel: 'email', genesys_list_id: null },
];

const contactList = (id: string, channel: Channel): GenesysContactList => ({ id, ...genesysContactListDefinition(`outbound ${id}`, channel) });

let runtime: LocalRuntime;
let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let standIn: GenesysStandIn;
let sleeps: number[];

const client = (credentials = CREDENTIALS) =>
  new GenesysClient({ endpoints: genesysEndpoints(standIn.url), credentials, sleep: async (ms) => void sleeps.push(ms) });
const push = (genesys = client()) =>
  pushExports({ runId: RUN_ID, loadDate: LOAD_DATE, exportsBucket: BUCKET, lists, client: genesys, sleep: async (ms) => void sleeps.push(ms) });
const routes = () => standIn.calls.map((call) => `${call.route} ${call.status}`);

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
  standIn = await startGenesysStandIn({ ...CREDENTIALS, contactLists: [contactList(CALL_LIST_ID, 'call'), contactList(SMS_LIST_ID, 'sms')] });
});
afterEach(async () => {
  await standIn.close();
});

describe('Genesys Cloud pusher against the local stand-in', () => {
  it('authenticates once, clears and uploads each call and SMS list, and skips email lists and lists without a Genesys id', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2']);
    await push();
    await writeExports(lists, ['P3']);
    // Act
    const result = await push();
    // Assess
    expect(result.pushed.map(({ file, contactListId, rows, importedRecords }) => ({ file, contactListId, rows, importedRecords }))).toEqual([
      { file: 'COLLECTIONS_CALL/BLUE_FCU_1_29.csv', contactListId: CALL_LIST_ID, rows: 1, importedRecords: 1 },
      { file: 'TEXTS/SMS_REMINDER.csv', contactListId: SMS_LIST_ID, rows: 1, importedRecords: 1 },
    ]);
    expect(result.skipped).toEqual([
      { file: 'COLLECTIONS_CALL/NO_GENESYS.csv', reason: 'no genesys_list_id in the configuration' },
      { file: 'EMAILS/PAST_DUE_EMAIL.csv', reason: 'email lists go to the email service provider' },
    ]);
    const upload = standIn.uploads.at(-2)!;
    expect(upload).toMatchObject({ contactListId: CALL_LIST_ID, contactIdColumn: 'payoffuid', fileName: 'BLUE_FCU_1_29.csv', header: exportColumns('call') });
    expect(upload.records[0]!.slice(0, 4)).toEqual(['P3', '1000000000000003', 'Dana', 'O"Neil, Jr']);
    // Yesterday's contacts are gone: the list holds exactly today's file.
    expect([...standIn.contacts(CALL_LIST_ID).keys()]).toEqual(['P3']);
    expect(routes().filter((route) => route.startsWith('token'))).toEqual(['token 200', 'token 200']);
    expect(routes().slice(-9)).toEqual([
      'token 200', 'contactlist 200', 'contactlist 200', 'clear 204', 'upload 200', 'importstatus 200', 'clear 204', 'upload 200', 'importstatus 200',
    ]);
  });

  it('retries a 429 (honouring Retry-After) and a 503 with backoff, then succeeds', async () => {
    // Prepare
    await writeExports(lists, ['P1']);
    standIn.failNext('upload', { status: 429, retryAfterSeconds: 3 }, { status: 503 });
    standIn.failNext('token', { status: 502 });
    // Act
    const result = await push();
    // Assess
    expect(result.pushed).toHaveLength(2);
    expect(sleeps).toEqual([1_000, 3_000, 2_000]);
    expect(routes().filter((route) => /^(token|upload)/.test(route))).toEqual(['token 502', 'token 200', 'upload 429', 'upload 503', 'upload 200', 'upload 200']);
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

  it('fails clearly on bad credentials, persistent 5xx, a contact list with other columns, and a file that is not the manifest', async () => {
    await writeExports(lists, ['P1']);
    // bad credentials: nothing touched
    await expect(push(client({ ...CREDENTIALS, clientSecret: 'wrong' }))).rejects.toThrow('Genesys Cloud get token: HTTP 401: invalid_client');
    // persistent 503 on clear: 5 attempts, then the status and operation
    standIn.failNext('clear', ...Array.from({ length: 5 }, () => ({ status: 503 })));
    const failure = await push().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GenesysApiError);
    expect((failure as Error).message).toBe('Genesys Cloud clear contact list: HTTP 503: service.unavailable: injected failure');
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]);
    // other columns: refused before any list is cleared
    await standIn.close();
    const without = contactList(SMS_LIST_ID, 'sms');
    standIn = await startGenesysStandIn({
      ...CREDENTIALS,
      contactLists: [contactList(CALL_LIST_ID, 'call'), { ...without, phoneColumns: without.phoneColumns!.slice(1), columnNames: without.columnNames.slice(0, -1) }],
    });
    await expect(push()).rejects.toThrow(
      `TEXTS/SMS_REMINDER → Genesys contact list c0ffee00-0000-4000-8000-000000000002: columns missing from the contact list: ${exportColumns('sms').at(-1)}; phone_1 is not declared as a phone column`,
    );
    expect(routes().some((route) => route.startsWith('clear'))).toBe(false);
    // a file changed after the manifest: refused before its list is cleared
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}COLLECTIONS_CALL/BLUE_FCU_1_29.csv`, Body: 'tampered' }));
    await standIn.close();
    standIn = await startGenesysStandIn({ ...CREDENTIALS, contactLists: [contactList(CALL_LIST_ID, 'call'), contactList(SMS_LIST_ID, 'sms')] });
    await expect(push()).rejects.toThrow(/COLLECTIONS_CALL\/BLUE_FCU_1_29.csv: does not match the manifest/);
    expect(routes().some((route) => route.startsWith('clear'))).toBe(false);
  });

  it('the stand-in refuses an upload whose header is not the contact list', async () => {
    // Prepare
    const csv = Buffer.from('payoffuid,payoffuid\r\nP1,P1\r\n');
    // Act
    const failure = await client().uploadContactList(CALL_LIST_ID, csv, 'bad.csv', 'payoffuid').catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(GenesysApiError);
    expect((failure as GenesysApiError).status).toBe(400);
    expect((failure as Error).message).toMatch(/invalid.contact.list.file: column "payoffuid" appears twice; columns missing: account_number/);
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
      response.end(JSON.stringify({ Name: 'outbound/genesys', SecretString: JSON.stringify({ client_id: CREDENTIALS.clientId, client_secret: CREDENTIALS.clientSecret }) }));
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

  it('reads the OAuth client from the secret and pushes the lists of the configuration snapshot', async () => {
    // Prepare
    await writeExports(lists, ['P1', 'P2']);
    await writeSnapshot([
      { name: 'COLLECTIONS_CALL', channel: 'call', lists: [{ name: 'BLUE_FCU_1_29', genesys_list_id: CALL_LIST_ID }, { name: 'NO_GENESYS' }] },
      { name: 'TEXTS', channel: 'sms', lists: [{ name: 'SMS_REMINDER', genesys_list_id: SMS_LIST_ID }] },
      { name: 'EMAILS', channel: 'email', lists: [{ name: 'PAST_DUE_EMAIL' }] },
    ]);
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
    expect(output).toMatchObject({ enabled: true, pushed: [{ contactListId: CALL_LIST_ID, rows: 2 }, { contactListId: SMS_LIST_ID, rows: 2 }] });
    expect([...standIn.contacts(SMS_LIST_ID).keys()]).toEqual(['P1', 'P2']);
  });
});
