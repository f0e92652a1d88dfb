import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../domain/consent/consent.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import type { ApiServer } from '../../../local/runtime/http-server.ts';

const ACCOUNT = '4000000000000017';
let home: string;
let runtime: LocalRuntime;
let server: ApiServer;
let smsCheck: typeof import('../../../local/cli/commands/sms-check.ts').smsCheck;

function change(phone_number: string, overrides: Partial<ConsentChange> = {}): ConsentChange {
  return {
    change_type: 'new',
    account_number: ACCOUNT,
    phone_number,
    phone_type: 'MOBILE',
    phone_status: 'ACTIVE',
    phone_technology: 'WIRELESS',
    quality_score: 80,
    phone_source: 'CLIENT',
    has_sms_consent: true,
    sms_consent_updated_at: '2026-11-18',
    is_deleted: false,
    delete_type: null,
    deleted_at: null,
    as_of_date: '2026-11-20',
    ...overrides,
  };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'outbound-api-'));
  runtime = await startLocalRuntime({ home });
  // Imported after the runtime has set the environment (table name, endpoints, log level).
  const store = await import('../../../adapters/consent-store.ts');
  await store.writeChanges([
    change('+12125550142'),
    change('+12125550143', { has_sms_consent: false }),
    change('+12125550144', { phone_source: 'THIRD_PARTY', has_sms_consent: null }),
    change('+12125550145', { is_deleted: true, delete_type: 'soft_delete', deleted_at: '2026-11-19' }),
  ]);
  await store.putLoadMarker({ as_of_date: '2026-11-20', run_id: 'loopback', loaded_at: '2026-11-20T11:00:00.000Z' });
  server = await (await import('../../../local/runtime/http-server.ts')).startApiServer(0);
  ({ smsCheck } = await import('../../../local/cli/commands/sms-check.ts'));
});

afterAll(async () => {
  await server?.close();
  await runtime?.stop();
  await rm(home, { recursive: true, force: true });
});

/** Sends one raw HTTP/1.1 request line (targets fetch would refuse to send) and returns the status code. */
async function rawStatus(target: string): Promise<number> {
  const { port } = new URL(server.url);
  const response = await new Promise<string>((answered, fail) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => answered(text));
    socket.on('error', fail);
  });
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
}

describe('can_send_sms over loopback on the local runtime', () => {
  it('answers 4xx, never 500, to request targets that cannot be read', async () => {
    expect(await rawStatus('//')).toBe(404);
    expect(await rawStatus('http://[::1')).toBe(400);
    expect(await rawStatus('*')).toBe(400);
    expect(await rawStatus('ftp://host/v1/can-send-sms')).toBe(400);
    expect(await rawStatus(`http://127.0.0.1/v1/can-send-sms?account=${ACCOUNT}&phone=2125550142`)).toBe(200);
  });

  it('answers GET with the exact body', async () => {
    const response = await fetch(`${server.url}/v1/can-send-sms?account=${ACCOUNT}&phone=${encodeURIComponent('(212) 555-0142')}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toStrictEqual({ account: ACCOUNT, phone: '+12125550142', canSendSms: true, reasons: [], asOf: '2026-11-20' });
  });

  it('answers a batch in order with the exact bodies', async () => {
    const response = await fetch(`${server.url}/v1/can-send-sms/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [
          { account: ACCOUNT, phone: '212.555.0143' },
          { account: ACCOUNT, phone: '+1 212 555 0144' },
          { account: ACCOUNT, phone: '12125550145' },
          { account: ACCOUNT, phone: '2125550199' },
          { account: ACCOUNT, phone: '2125550142' },
        ],
      }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({
      results: [
        { account: ACCOUNT, phone: '+12125550143', canSendSms: false, reasons: ['CONSENT_WITHDRAWN'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+12125550144', canSendSms: false, reasons: ['SOURCE_NOT_CLIENT'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+12125550145', canSendSms: false, reasons: ['DELETED'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+12125550199', canSendSms: false, reasons: ['NOT_FOUND'], asOf: '2026-11-20' },
        { account: ACCOUNT, phone: '+12125550142', canSendSms: true, reasons: [], asOf: '2026-11-20' },
      ],
    });
  });

  it('answers 400 and 404 as JSON', async () => {
    const bad = await fetch(`${server.url}/v1/can-send-sms/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items":' });
    const missing = await fetch(`${server.url}/v2/nothing`);

    expect(bad.status).toBe(400);
    expect(await bad.json()).toStrictEqual({ error: 'invalid request', details: ['body: not valid JSON'] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toStrictEqual({ error: 'not found', details: ['no route for GET on this path'] });
  });

  it('gives sms-check the same answer as the API', async () => {
    const check = await smsCheck(ACCOUNT, '212-555-0143');

    expect(check).toStrictEqual({
      statusCode: 200,
      body: { account: ACCOUNT, phone: '+12125550143', canSendSms: false, reasons: ['CONSENT_WITHDRAWN'], asOf: '2026-11-20' },
    });
    expect(await smsCheck(ACCOUNT, 'not a phone')).toStrictEqual({
      statusCode: 400,
      body: { error: 'invalid request', details: ['phone: not a valid US phone number (INVALID_CHARACTERS)'] },
    });
  });
});
