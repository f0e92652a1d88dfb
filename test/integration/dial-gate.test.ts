import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { ingestEventsFile } from '../../local/cli/commands/events.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/runtime.ts';
import { sandbox, type Sandbox } from '../sql/fixtures.ts';

/**
 * The dial gate on dynalite (docs/api.md "can-call"): the run's load step writes the day's windows and budgets,
 * events count the calls placed, GET /v1/can-call answers through the local API as API Gateway would.
 */
const D = '2026-11-20';
const ACCOUNT = '1000000000000001';
const PHONE = '+12125550142';
const OTHER_PHONE = '+13105550199';
/** An account on a servicing call list only: no cap applies to it (calls_allowed_today null). */
const UNCAPPED = '1000000000000002';

let box: Sandbox;
let runtime: LocalRuntime;
let invokeApi: typeof import('../../local/runtime/http-server.ts').invokeApi;
let apiEvent: typeof import('../../local/runtime/http-server.ts').apiEvent;

/** The rows the published tables give the load step's SQL for D: the number on two call lists (windows intersected). */
function publishedDay(): SqlEngine {
  const rows: Record<string, unknown[]> = {
    dial_gate_windows: [
      { account_number: ACCOUNT, phone_number: PHONE, window_start_utc: '2026-11-20 14:00:00', window_end_utc: '2026-11-21 01:00:00.000' },
      { account_number: ACCOUNT, phone_number: OTHER_PHONE, window_start_utc: '2026-11-20 16:00:00', window_end_utc: '2026-11-21 04:00:00' },
      { account_number: UNCAPPED, phone_number: PHONE, window_start_utc: '2026-11-20 14:00:00', window_end_utc: '2026-11-21 01:00:00' },
    ],
    dial_gate_budgets: [
      { account_number: ACCOUNT, calls_allowed_today: 7 },
      { account_number: UNCAPPED, calls_allowed_today: null },
    ],
  };
  return {
    query: async (sql: string) =>
      rows[Object.keys(rows).find((name) => sql.includes(name === 'dial_gate_windows' ? 'window_start_utc' : 'min(calls_allowed_today)'))!] ?? [],
    partitionValues: async () => [],
  } as unknown as SqlEngine;
}

async function canCall(query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await invokeApi(apiEvent({ method: 'GET', url: `/v1/can-call?${query}` }));
  return { status: result.statusCode!, body: JSON.parse(result.body!) };
}

async function ingest(lines: object[]): Promise<Awaited<ReturnType<typeof ingestEventsFile>>> {
  const file = join(box.data, `events-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, lines.map((line) => JSON.stringify(line)).join('\n'));
  return ingestEventsFile(file);
}

const callAt = (minute: number, list: string) => ({
  type: 'call_attempt',
  account: ACCOUNT,
  phone: '(212) 555-0142',
  at: `${D}T10:${String(minute).padStart(2, '0')}:00-05:00`,
  list,
  conversation: false,
});

beforeAll(async () => {
  box = await sandbox();
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  ({ invokeApi, apiEvent } = await import('../../local/runtime/http-server.ts'));
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await box?.cleanup();
});

describe('GET /v1/can-call', () => {
  it('fails closed before any run has loaded the gate', async () => {
    const answer = await canCall(`account=${ACCOUNT}&phone=2125550142&at=${D}T15:00:00Z`);

    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ canCall: false, reasons: ['NO_PUBLISHED_DAY'], asOf: null }) });
  });

  it('refuses the 7th call of the 7 days when two lists dial the account the same morning', async () => {
    const { loadDialGate } = await import('../../lambdas/load-dial-gate/load.ts');
    const { clearLoadedDayCache } = await import('../../lambdas/can-call/handler.ts');
    expect(await loadDialGate(publishedDay(), { loadDate: D, runId: 'run-1' })).toEqual({ loadDate: D, windows: 3, budgets: 2, optOuts: 0, markerMoved: true });
    clearLoadedDayCache();

    const first = await canCall(`account=${ACCOUNT}&phone=(212)%20555-0142&at=${D}T15:00:00Z`);
    const counted = await ingest([
      callAt(0, 'collections/early'),
      callAt(5, 'collections/early'),
      callAt(10, 'collections/early'),
      callAt(15, 'recoveries/late'),
      callAt(20, 'recoveries/late'),
      callAt(25, 'recoveries/late'),
    ]);
    const sixth = await canCall(`account=${ACCOUNT}&phone=2125550142&at=${D}T15:30:00Z`);
    const seventh = await ingest([callAt(30, 'recoveries/late'), callAt(0, 'collections/early')]);
    const after = await canCall(`account=${ACCOUNT}&phone=2125550142&at=${D}T15:40:00Z`);
    const otherNumber = await canCall(`account=${ACCOUNT}&phone=3105550199&at=${D}T17:00:00Z`);

    expect(first.body).toEqual({
      account: ACCOUNT,
      phone: PHONE,
      canCall: true,
      reasons: [],
      windowStartUtc: '2026-11-20T14:00:00.000Z',
      windowEndUtc: '2026-11-21T01:00:00.000Z',
      callsRemainingToday: 7,
      asOf: D,
    });
    expect(counted).toMatchObject({ received: 6, callsCounted: 6, callsAlreadyCounted: 0 });
    expect(sixth.body).toMatchObject({ canCall: true, callsRemainingToday: 1 });
    // The same 10:00 call delivered again is not counted twice.
    expect(seventh).toMatchObject({ received: 2, callsCounted: 1, callsAlreadyCounted: 1 });
    expect(after.body).toMatchObject({ canCall: false, reasons: ['NO_CALL_BUDGET'], callsRemainingToday: 0 });
    // The budget is the account's, across its numbers.
    expect(otherNumber.body).toMatchObject({ canCall: false, reasons: ['NO_CALL_BUDGET'] });
  });

  it('lets only the window limit an account no cap applies to', async () => {
    const inside = await canCall(`account=${UNCAPPED}&phone=2125550142&at=${D}T15:00:00Z`);
    const outside = await canCall(`account=${UNCAPPED}&phone=2125550142&at=${D}T13:00:00Z`);

    expect(inside.body).toMatchObject({ canCall: true, reasons: [], callsRemainingToday: null });
    expect(outside.body).toMatchObject({ canCall: false, reasons: ['OUTSIDE_CALL_WINDOW'] });
  });

  it("refuses outside the window, a number on none of the day's lists, and answers 400 to a malformed request", async () => {
    const early = await canCall(`account=${ACCOUNT}&phone=3105550199&at=${D}T15:00:00Z`);
    const unknown = await canCall(`account=2000000000000002&phone=2125550142&at=${D}T15:00:00Z`);
    const malformed = await canCall('account=12&phone=555&at=tomorrow');

    expect(early.body.reasons).toEqual(['OUTSIDE_CALL_WINDOW', 'NO_CALL_BUDGET']);
    expect(unknown.body).toMatchObject({ canCall: false, reasons: ['NOT_ON_TODAYS_LISTS', 'NO_CALL_BUDGET'], callsRemainingToday: 0 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual([
      'account: expected 16 digits',
      'phone: not a valid US phone number (INVALID_LENGTH)',
      expect.stringMatching(/^at: expected an ISO-8601 date-time/),
    ]);
  });
});

describe('POST /v1/events', () => {
  it('ingests an array of events, and answers 400 by index without ingesting any when one cannot be read', async () => {
    const post = async (body: string) => {
      const result = await invokeApi(apiEvent({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json' }, body }));
      return { status: result.statusCode, body: JSON.parse(result.body!) };
    };
    const stop = { type: 'sms_opt_out', account: ACCOUNT, phone: '2125550142', at: `${D}T12:00:00-05:00` };

    const bad = await post(JSON.stringify([stop, { ...stop, phone: 'call me' }]));
    const good = await post(JSON.stringify([stop]));
    const answer = await canCall(`account=${ACCOUNT}&phone=2125550142&at=${D}T15:00:00Z`);

    expect(bad).toEqual({ status: 400, body: { error: 'invalid request', details: ['[1].phone: not a valid US phone number (INVALID_CHARACTERS)'] } });
    expect(good).toEqual({ status: 200, body: { received: 1, callsCounted: 0, callsAlreadyCounted: 0, optOuts: 1 } });
    expect(answer.body.reasons).toContain('OPTED_OUT');
  });
});
