import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { BatchGetItemCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { consentLoadMarker, optOutItemAccount } from '../../config/resources.ts';
import type { PhoneConsentRow } from '../../domain/consent/consent.ts';
import { clearAsOfCache } from '../../lambdas/can-send-sms/handler.ts';
import { apiEvent, invokeApi, type ApiRequest } from '../../local/runtime/http-server.ts';

// The masking tests read the INFO lines; the logger takes its level when the handler module loads.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const TABLE = 'phone-consent-test';
const ACCOUNT = '1234567890123456';
const OTHER_ACCOUNT = '6543210987654321';
const PHONE = '+12125550142';
const item = { account: ACCOUNT, phone: '2125550142' };
const dynamo = mockClient(DynamoDBDocumentClient);
/** The low-level client of the per-request reads (adapters/dynamo-reads.ts): GET reads the row and the opt-out item in one BatchGetItem. */
const reads = mockClient(DynamoDBClient);
let items: Map<string, Record<string, unknown>>;
/** What the handler's logger wrote to stdout and stderr. */
let logs: string[];

const id = (key: Record<string, unknown>) => `${key.account_number as string}|${key.phone_number as string}`;

function row(overrides: Partial<PhoneConsentRow> = {}): PhoneConsentRow {
  return {
    account_number: ACCOUNT,
    phone_number: PHONE,
    phone_type: 'MOBILE',
    phone_status: 'ACTIVE',
    phone_technology: 'WIRELESS',
    quality_score: 80,
    phone_source: 'CLIENT',
    has_sms_consent: true,
    sms_consent_updated_at: '2026-11-01',
    is_deleted: false,
    delete_type: null,
    deleted_at: null,
    as_of_date: '2026-11-20',
    ...overrides,
  };
}

function store(...rows: object[]): void {
  for (const item of rows) items.set(id(item as Record<string, unknown>), item as Record<string, unknown>);
}

/** The keys the GET route's reads asked for, in order. */
function readKeys(): Record<string, unknown>[] {
  return reads.commandCalls(BatchGetItemCommand).flatMap((c) => c.args[0].input.RequestItems![TABLE]!.Keys!.map((key) => unmarshall(key)));
}

async function call(request: ApiRequest): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const result = await invokeApi(apiEvent(request));
  return { status: result.statusCode!, headers: result.headers ?? {}, body: JSON.parse(result.body!) };
}

const get = (query: string) => call({ method: 'GET', url: `/v1/can-send-sms?${query}` });
const batch = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  call({ method: 'POST', url: '/v1/can-send-sms/batch', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeEach(() => {
  process.env.OUTBOUND_CONSENT_TABLE = TABLE;
  clearAsOfCache();
  items = new Map();
  store({ ...consentLoadMarker, as_of_date: '2026-11-20', run_id: 'run-1', loaded_at: '2026-11-20T11:05:00Z' });
  dynamo.reset();
  dynamo.on(GetCommand).callsFake((input: { Key: Record<string, unknown> }) => ({ Item: items.get(id(input.Key)) }));
  dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
    Responses: { [TABLE]: input.RequestItems[TABLE]!.Keys.map((key) => items.get(id(key))).filter(Boolean) },
  }));
  reads.reset();
  reads.on(BatchGetItemCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, AttributeValue>[] }> }) => ({
    Responses: {
      [TABLE]: input.RequestItems[TABLE]!.Keys.map((key) => items.get(id(unmarshall(key))))
        .filter(Boolean)
        .map((found) => marshall(found!, { removeUndefinedValues: true })),
    },
  }));
  logs = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /v1/can-send-sms', () => {
  it('answers true for a client phone with consent, with the exact body shape', async () => {
    store(row());

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toStrictEqual({ account: ACCOUNT, phone: PHONE, canSendSms: true, reasons: [], asOf: '2026-11-20' });
  });

  it('treats an unanswered consent (null) as allowed', async () => {
    store(row({ has_sms_consent: null }));

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.body).toMatchObject({ canSendSms: true, reasons: [] });
  });

  it.each([
    ['SOURCE_NOT_CLIENT', { phone_source: 'CONSUMER' }],
    ['SOURCE_NOT_CLIENT', { phone_source: 'THIRD_PARTY' }],
    ['DELETED', { is_deleted: true, delete_type: 'soft_delete', deleted_at: '2026-11-19' }],
    ['DELETED', { is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-20' }],
    ['CONSENT_WITHDRAWN', { has_sms_consent: false }],
  ] as const)('denies with %s', async (reason, overrides) => {
    store(row(overrides as Partial<PhoneConsentRow>));

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.body).toMatchObject({ canSendSms: false, reasons: [reason] });
  });

  it('reports every failing condition in a fixed order', async () => {
    store(row({ phone_source: 'OTHER', is_deleted: true, delete_type: 'soft_delete', deleted_at: '2026-11-19', has_sms_consent: false }));

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.body).toMatchObject({ canSendSms: false, reasons: ['SOURCE_NOT_CLIENT', 'DELETED', 'CONSENT_WITHDRAWN'] });
  });

  it('answers OPTED_OUT for a number in the opt-out register, on every account, beside the other reasons', async () => {
    store(row(), row({ account_number: OTHER_ACCOUNT, has_sms_consent: false }), {
      account_number: optOutItemAccount,
      phone_number: PHONE,
      opted_out_since: '2026-05-04',
    });

    const onConsentingAccount = await get(`account=${ACCOUNT}&phone=2125550142`);
    const onWithdrawnAccount = await get(`account=${OTHER_ACCOUNT}&phone=2125550142`);
    const otherNumber = await get(`account=${ACCOUNT}&phone=3105550199`);

    expect(onConsentingAccount.body).toMatchObject({ canSendSms: false, reasons: ['OPTED_OUT'] });
    expect(onWithdrawnAccount.body).toMatchObject({ canSendSms: false, reasons: ['CONSENT_WITHDRAWN', 'OPTED_OUT'] });
    expect(otherNumber.body).toMatchObject({ canSendSms: false, reasons: ['NOT_FOUND'] });
  });

  it('answers OPTED_OUT in a batch from the opt-out items read with the rows', async () => {
    store(row(), row({ phone_number: '+13105550199' }), { account_number: optOutItemAccount, phone_number: '+13105550199', opted_out_since: '2026-11-20' });

    const response = await batch({
      items: [
        { account: ACCOUNT, phone: '2125550142' },
        { account: ACCOUNT, phone: '3105550199' },
      ],
    });

    expect(response.body).toMatchObject({
      results: [
        { canSendSms: true, reasons: [] },
        { canSendSms: false, reasons: ['OPTED_OUT'] },
      ],
    });
  });

  it('fails closed with NOT_FOUND for an unknown pair, including the same phone on another account', async () => {
    store(row());

    const response = await get(`account=${OTHER_ACCOUNT}&phone=2125550142`);

    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({ account: OTHER_ACCOUNT, phone: PHONE, canSendSms: false, reasons: ['NOT_FOUND'], asOf: '2026-11-20' });
  });

  it.each(['(212) 555-0142', '212.555.0142', '+1 212 555 0142', '12125550142', '212-555-0142', '1-212-555-0142', ' 2125550142 ', '+12125550142'])(
    'normalises the phone %j to E.164 before the lookup',
    async (phone) => {
      store(row());

      const response = await get(new URLSearchParams({ account: ACCOUNT, phone }).toString());

      expect(response.body).toMatchObject({ phone: PHONE, canSendSms: true });
      expect(readKeys().filter((key) => key.account_number === ACCOUNT && key.phone_number === PHONE)).toHaveLength(1);
    },
  );

  it.each([
    ['no query string', '', ['account: required', 'phone: required']],
    ['a missing account', 'phone=2125550142', ['account: required']],
    ['a 15-digit account', 'account=123456789012345&phone=2125550142', ['account: expected 16 digits']],
    ['an account with letters', 'account=123456789012345P&phone=2125550142', ['account: expected 16 digits']],
    ['a repeated account', `account=${ACCOUNT}&account=${ACCOUNT}&phone=2125550142`, ['account: expected 16 digits']],
    ['a missing phone', `account=${ACCOUNT}`, ['phone: required']],
    ['a phone with letters', `account=${ACCOUNT}&phone=212-555-CALL`, ['phone: not a valid US phone number (INVALID_CHARACTERS)']],
    ['a 7-digit phone', `account=${ACCOUNT}&phone=555-0142`, ['phone: not a valid US phone number (INVALID_LENGTH)']],
    ['a foreign phone', `account=${ACCOUNT}&phone=%2B44%2020%207946%200958`, ['phone: not a valid US phone number (NOT_NANP)']],
    ['an empty phone', `account=${ACCOUNT}&phone=`, ['phone: not a valid US phone number (EMPTY)']],
  ])('answers 400 for %s, naming the problem', async (_case, query, details) => {
    const response = await get(query);

    expect(response.status).toBe(400);
    expect(response.body).toStrictEqual({ error: 'invalid request', details });
    expect(dynamo.calls()).toHaveLength(0);
    expect(reads.calls()).toHaveLength(0);
  });

  it('answers asOf null when no consent load has completed yet', async () => {
    items.clear();
    store(row());

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.body).toMatchObject({ canSendSms: true, asOf: null });
  });

  it('reads the load marker once and reuses it for the next requests', async () => {
    store(row());

    await get(`account=${ACCOUNT}&phone=2125550142`);
    await get(`account=${OTHER_ACCOUNT}&phone=2125550142`);

    expect(dynamo.commandCalls(GetCommand, { Key: { ...consentLoadMarker } })).toHaveLength(1);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
    // Per request the pair's row and its number's opt-out item, read together; the marker once.
    expect(reads.commandCalls(BatchGetItemCommand)).toHaveLength(2);
    expect(readKeys()).toStrictEqual([
      { account_number: ACCOUNT, phone_number: PHONE },
      { account_number: optOutItemAccount, phone_number: PHONE },
      { account_number: OTHER_ACCOUNT, phone_number: PHONE },
      { account_number: optOutItemAccount, phone_number: PHONE },
    ]);
  });

  it('retries the keys of a GET that DynamoDB left unprocessed, and answers 503 when they stay unprocessed', async () => {
    store(row(), { account_number: optOutItemAccount, phone_number: PHONE, opted_out_since: '2026-11-20' });
    let calls = 0;
    reads.on(BatchGetItemCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, AttributeValue>[] }> }) => {
      calls += 1;
      const [first, ...rest] = input.RequestItems[TABLE]!.Keys;
      if (calls > 1)
        return {
          Responses: {
            [TABLE]: rest
              .concat(first!)
              .map((key) => items.get(id(unmarshall(key))))
              .filter(Boolean)
              .map((found) => marshall(found!)),
          },
        };
      return {
        Responses: { [TABLE]: [marshall(items.get(id(unmarshall(first!)))!, { removeUndefinedValues: true })] },
        UnprocessedKeys: { [TABLE]: { Keys: rest } },
      };
    });

    const retried = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(retried.body).toMatchObject({ canSendSms: false, reasons: ['OPTED_OUT'] });
    expect(reads.commandCalls(BatchGetItemCommand)).toHaveLength(2);

    reads
      .on(BatchGetItemCommand)
      .callsFake((input: { RequestItems: Record<string, unknown> }) => ({ Responses: { [TABLE]: [] }, UnprocessedKeys: input.RequestItems }));
    const unprocessed = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(unprocessed.status).toBe(503);
  });

  it('routes a named stage path the same way', async () => {
    store(row());
    const event = apiEvent({ method: 'GET', url: `/prod/v1/can-send-sms?account=${ACCOUNT}&phone=2125550142` });
    event.requestContext.stage = 'prod';

    const result = await invokeApi(event);

    expect(result.statusCode).toBe(200);
  });

  it('logs the answer with the phone and account masked', async () => {
    store(row());

    await get(`account=${ACCOUNT}&phone=2125550142`);

    const written = logs.join('');
    expect(written).toContain('"account":"************3456"');
    expect(written).toContain('"phone":"*********42"');
    expect(written).not.toContain(ACCOUNT);
    expect(written).not.toContain('2125550142');
  });
});

describe('POST /v1/can-send-sms/batch', () => {
  it('answers one result per item, in order, reading duplicates once', async () => {
    store(row(), row({ phone_number: '+13105550199', has_sms_consent: false }), row({ account_number: OTHER_ACCOUNT, phone_source: 'CONSUMER' }));

    const response = await batch({
      items: [
        { account: ACCOUNT, phone: '(212) 555-0142' },
        { account: ACCOUNT, phone: '7185550100' },
        { account: ACCOUNT, phone: '310.555.0199' },
        { account: ACCOUNT, phone: '+1 212 555 0142' },
        { account: OTHER_ACCOUNT, phone: '2125550142' },
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      results: [
        { account: ACCOUNT, phone: PHONE, canSendSms: true, reasons: [], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+17185550100', canSendSms: false, reasons: ['NOT_FOUND'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+13105550199', canSendSms: false, reasons: ['CONSENT_WITHDRAWN'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: PHONE, canSendSms: true, reasons: [], asOf: '2026-11-20' },
        { account: OTHER_ACCOUNT, phone: PHONE, canSendSms: false, reasons: ['SOURCE_NOT_CLIENT'], asOf: '2026-11-20' },
      ],
    });
    const requested = dynamo.commandCalls(BatchGetCommand).flatMap((c) => c.args[0].input.RequestItems![TABLE]!.Keys!);
    // Four distinct pairs and the opt-out items of their three distinct numbers.
    expect(requested.filter((key) => key.account_number !== optOutItemAccount)).toHaveLength(4);
    expect(
      requested
        .filter((key) => key.account_number === optOutItemAccount)
        .map((key) => key.phone_number)
        .sort(),
    ).toEqual(['+12125550142', '+13105550199', '+17185550100']);
  });

  it('retries the keys DynamoDB left unprocessed', async () => {
    store(row(), row({ phone_number: '+13105550199' }));
    let calls = 0;
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => {
      const [first, ...rest] = input.RequestItems[TABLE]!.Keys;
      calls += 1;
      return calls === 1
        ? { Responses: { [TABLE]: [items.get(id(first!))] }, UnprocessedKeys: { [TABLE]: { Keys: rest } } }
        : { Responses: { [TABLE]: input.RequestItems[TABLE]!.Keys.map((key) => items.get(id(key))).filter(Boolean) } };
    });

    const response = await batch({
      items: [
        { account: ACCOUNT, phone: '2125550142' },
        { account: ACCOUNT, phone: '3105550199' },
      ],
    });

    expect(response.body).toMatchObject({ results: [{ canSendSms: true }, { canSendSms: true }] });
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems![TABLE]!.Keys).toStrictEqual([
      { account_number: ACCOUNT, phone_number: '+13105550199' },
      { account_number: optOutItemAccount, phone_number: PHONE },
      { account_number: optOutItemAccount, phone_number: '+13105550199' },
    ]);
  });

  it('accepts a base64-encoded body', async () => {
    store(row());
    const event = apiEvent({ method: 'POST', url: '/v1/can-send-sms/batch', headers: { 'content-type': 'application/json; charset=utf-8' } });
    event.body = Buffer.from(JSON.stringify({ items: [{ account: ACCOUNT, phone: '2125550142' }] })).toString('base64');
    event.isBase64Encoded = true;

    const result = await invokeApi(event);

    expect(JSON.parse(result.body!)).toMatchObject({ results: [{ canSendSms: true }] });
  });

  it.each([
    ['an empty body', '', ['body: required, a JSON object {"items":[{"account","phone"},…]}']],
    ['invalid JSON', '{"items": [', ['body: not valid JSON']],
    ['an array instead of an object', [item], ['body: Invalid input: expected object, received array']],
    ['no items', {}, ['items: required']],
    ['items that are not an array', { items: 'x' }, ['items: expected an array']],
    ['zero items', { items: [] }, ['items: expected 1 to 100 items']],
    ['101 items', { items: Array.from({ length: 101 }, () => item) }, ['items: expected 1 to 100 items']],
    ['an item that is not an object', { items: [item, 'x'] }, ['items[1]: Invalid input: expected object, received string']],
    [
      'bad fields in several items',
      { items: [item, item, { account: '12', phone: '2125550142' }, { account: ACCOUNT, phone: '555' }, { phone: '2125550142' }] },
      ['items[2].account: expected 16 digits', 'items[3].phone: not a valid US phone number (INVALID_LENGTH)', 'items[4].account: required'],
    ],
    ['a number as account', { items: [{ account: 1234567890123456, phone: '2125550142' }] }, ['items[0].account: expected 16 digits as a string']],
  ])('answers 400 for %s, naming what and where', async (_case, body, details) => {
    const response = await batch(body);

    expect(response.status).toBe(400);
    expect(response.body).toStrictEqual({ error: 'invalid request', details });
    expect(dynamo.calls()).toHaveLength(0);
    expect(reads.calls()).toHaveLength(0);
  });

  it('refuses a declared content-type that is not JSON (docs/api.md), and takes JSON with parameters or a +json type', async () => {
    store(row());

    const declaredForm = await batch({ items: [item] }, { 'content-type': 'application/x-www-form-urlencoded' });
    const textPlain = await call({
      method: 'POST',
      url: '/v1/can-send-sms/batch',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ items: [item] }),
    });
    const withCharset = await batch({ items: [item] }, { 'content-type': 'application/json; charset=utf-8' });
    const vendorJson = await batch({ items: [item] }, { 'content-type': 'application/vnd.outbound+json' });
    const undeclared = await batch({ items: [item] }, {});

    for (const refused of [declaredForm, textPlain]) {
      expect(refused.status).toBe(400);
      expect(refused.body).toStrictEqual({ error: 'invalid request', details: ['content-type: expected application/json'] });
    }
    expect([withCharset.status, vendorJson.status, undeclared.status]).toEqual([200, 200, 200]);
  });

  it('answers 100 items', async () => {
    store(row());

    const response = await batch({ items: Array.from({ length: 100 }, () => item) });

    expect(response.status).toBe(200);
    expect((response.body as { results: unknown[] }).results).toHaveLength(100);
  });
});

describe('routing and failures', () => {
  it('answers 404 JSON for an unknown route, without echoing the path (it may hold a phone)', async () => {
    const response = await call({ method: 'GET', url: '/v1/can-send-sms/2125550142?account=1' });

    expect(response.status).toBe(404);
    expect(response.body).toStrictEqual({ error: 'not found', details: ['no route for GET on this path'] });
  });

  it('answers 404 for a path named like an object property', async () => {
    const response = await call({ method: 'GET', url: '/constructor' });

    expect(response.status).toBe(404);
  });

  it.each([
    ['POST', '/v1/can-send-sms', 'GET'],
    ['GET', '/v1/can-send-sms/batch', 'POST'],
    ['DELETE', '/v1/can-send-sms', 'GET'],
  ])('answers 405 with Allow for %s %s', async (method, url, allowed) => {
    const response = await call({ method, url });

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allowed);
    expect(response.body).toStrictEqual({ error: 'method not allowed', details: [`${url} accepts ${allowed}, not ${method}`] });
  });

  it('answers 503 with a generic message when DynamoDB fails, without request data in body or logs', async () => {
    dynamo.on(GetCommand).rejects(Object.assign(new Error(`throttled reading ${ACCOUNT}`), { name: 'ProvisionedThroughputExceededException' }));
    reads.on(BatchGetItemCommand).rejects(Object.assign(new Error(`throttled reading ${ACCOUNT}`), { name: 'ProvisionedThroughputExceededException' }));

    const response = await get(`account=${ACCOUNT}&phone=2125550142`);

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toStrictEqual({ error: 'service unavailable', details: ['the consent store did not answer; retry shortly'] });
    expect(logs.join('')).toContain('consent store unavailable');
    expect(logs.join('')).not.toContain(ACCOUNT);
  });

  it('answers 503 when keys stay unprocessed after the retry cap', async () => {
    dynamo
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, unknown> }) => ({ Responses: { [TABLE]: [] }, UnprocessedKeys: input.RequestItems }));

    const response = await batch({ items: [item] });

    expect(response.status).toBe(503);
    expect(dynamo.commandCalls(BatchGetCommand).length).toBeGreaterThan(1);
  });
});
