import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startLocalRuntime } from '../local/runtime/runtime.ts';
import type { ConsentChange } from '../domain/consent/consent.ts';
import { easternDate } from '../domain/values/load-date.ts';

export interface LatencyResult {
  rows: number;
  requests: number;
  achievedRate: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** p50/p99 of a bare GetItem against dynalite at the same rate (no HTTP, no handler). */
  store?: { p50: number; p99: number };
  /** The same for the read can_send_sms sends per request (one BatchGetItem: the pair's row and its opt-out item). */
  storeRead?: { p50: number; p99: number };
  /** The server process during the measured load: main-thread busy time per request and event-loop delay. */
  server?: ServerLoad;
  /** GET /v1/can-call at the same rate over the same pairs, each on today's dial gate (window open, budget left). */
  canCall?: Omit<LatencyResult, 'rows' | 'store' | 'storeRead' | 'canCall'>;
}

export interface ServerLoad {
  /** Event-loop utilisation of the server's main thread × elapsed time, per request answered. */
  busyMsPerRequest: number;
  utilization: number;
  /** Event-loop delay (how late a timer of 1 ms resolution fires): what a request arriving then waits on top. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/**
 * can_send_sms over loopback: `rows` consent rows in dynalite, `outbound serve`'s server in this
 * process, an open-loop load of `rate` GET requests per second from a separate process
 * (bench/load-generator.ts), 90% of them for pairs that exist and 10% for unknown pairs.
 */
export async function measureApiLatency(options: { home: string; rows: number; rate: number; seconds: number }): Promise<LatencyResult> {
  await rm(options.home, { recursive: true, force: true });
  await mkdir(options.home, { recursive: true });
  const runtime = await startLocalRuntime({ home: options.home });
  try {
    const { writeChanges, putLoadMarker } = await import('../adapters/consent-store.ts');
    const rows = syntheticRows(options.rows);
    await writeChanges(rows);
    await putLoadMarker({ as_of_date: '2026-11-20', run_id: 'bench', loaded_at: new Date().toISOString() });
    await seedDialGate(rows);

    const paths = Array.from({ length: 20_000 }, (_, i) => {
      const row = rows[(i * 7919) % rows.length]!;
      const phone = i % 10 === 9 ? '(205) 555-0199' : `(${row.phone_number.slice(2, 5)}) ${row.phone_number.slice(5, 8)}-${row.phone_number.slice(8)}`;
      return `/v1/can-send-sms?${new URLSearchParams({ account: row.account_number, phone })}`;
    });
    const pathsFile = join(options.home, 'paths.json');
    await writeFile(pathsFile, JSON.stringify(paths));
    const canCallPathsFile = join(options.home, 'can-call-paths.json');
    await writeFile(canCallPathsFile, JSON.stringify(paths.map((path) => path.replace('/v1/can-send-sms?', '/v1/can-call?'))));

    // Reference: the store alone, the same GetItem the handler sends, at the same rate, from this process.
    const { getConsent, getConsentAndOptOut } = await import('../adapters/consent-store.ts');
    const storeSeconds = Math.min(options.seconds, 10);
    const store = await storeLatency(rows, options.rate, storeSeconds, (row) => getConsent(row.account_number, row.phone_number));
    const storeRead = await storeLatency(rows, options.rate, storeSeconds, (row) => getConsentAndOptOut(row.account_number, row.phone_number));
    const { startApiServer } = await import('../local/runtime/http-server.ts');
    const server = await startApiServer(0);
    try {
      // Warm-up: JIT, sockets, SDK clients.
      await runLoad(server.url, 200, 3, pathsFile);
      const result = await observed(() => runLoad(server.url, options.rate, options.seconds, pathsFile));
      await runLoad(server.url, 200, 3, canCallPathsFile);
      const canCall = await observed(() => runLoad(server.url, options.rate, options.seconds, canCallPathsFile));
      return { rows: rows.length, ...result, store, storeRead, canCall };
    } finally {
      await server.close();
    }
  } finally {
    await runtime.stop();
  }
}

/** Runs a load and adds what the server's main thread did meanwhile (it serves in this process). */
async function observed(load: () => Promise<Omit<LatencyResult, 'rows'>>): Promise<Omit<LatencyResult, 'rows'>> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const before = performance.eventLoopUtilization();
  const result = await load();
  const used = performance.eventLoopUtilization(before);
  delay.disable();
  const server: ServerLoad = {
    busyMsPerRequest: used.active / result.requests,
    utilization: used.utilization,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
  };
  return { ...result, server };
}

async function runLoad(url: string, rate: number, seconds: number, pathsFile: string): Promise<Omit<LatencyResult, 'rows'>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', new URL('./load-generator.ts', import.meta.url).pathname, url, String(rate), String(seconds), pathsFile],
    { env: { ...process.env }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<LatencyResult, 'rows'>;
}

/** Today's dial gate for every pair: a window open from an hour ago for ten hours, a budget of 7 calls. */
async function seedDialGate(rows: ConsentChange[]): Promise<void> {
  const { dayItems, putDayItems, putDialGateMarker } = await import('../adapters/dial-gate-store.ts');
  const day = easternDate(new Date());
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 36_000_000).toISOString();
  await putDayItems(
    dayItems(
      day,
      rows.map((row) => ({ account: row.account_number, phone: row.phone_number, start, end })),
      [...new Set(rows.map((row) => row.account_number))].map((account) => ({ account, callsAllowedToday: 7 })),
    ),
  );
  await putDialGateMarker({ as_of_date: day, run_id: 'bench', loaded_at: new Date().toISOString() });
}

const AREA_CODES = [212, 213, 305, 312, 404, 415, 512, 602, 617, 702, 713, 804, 907, 919, 952];

function syntheticRows(count: number): ConsentChange[] {
  const sources = ['CLIENT', 'CLIENT', 'CLIENT', 'CONSUMER'] as const;
  return Array.from({ length: count }, (_, i) => ({
    account_number: String(4_000_000_000_000_000 + Math.floor(i / 2)),
    phone_number: `+1${AREA_CODES[i % AREA_CODES.length]}${2_000_000 + ((i * 48_271) % 7_999_999)}`,
    phone_type: 'MOBILE',
    phone_status: 'ACTIVE',
    phone_technology: 'WIRELESS',
    quality_score: 80,
    phone_source: sources[i % sources.length]!,
    has_sms_consent: i % 5 === 0 ? false : i % 3 === 0 ? null : true,
    sms_consent_updated_at: '2026-11-01',
    is_deleted: i % 17 === 0,
    delete_type: i % 17 === 0 ? 'soft_delete' : null,
    deleted_at: i % 17 === 0 ? '2026-11-02' : null,
    as_of_date: '2026-11-20',
    change_type: 'new',
  }));
}

async function storeLatency(
  rows: ConsentChange[],
  rate: number,
  seconds: number,
  read: (row: ConsentChange) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  for (const row of rows.slice(0, 200)) await read(row);
  const total = rate * seconds;
  const latencies: number[] = [];
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((finished) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        const index = sent++;
        const scheduled = start + (index * 1000) / rate;
        const row = rows[(index * 7919) % rows.length]!;
        void read(row).then(() => {
          latencies.push(performance.now() - scheduled);
          if (latencies.length === total) finished();
        });
      }
      if (sent === total) clearInterval(tick);
    }, 1);
  });
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(total * 0.5)]!, p99: latencies[Math.floor(total * 0.99)]! };
}

/** The benchmark's report: each endpoint's figures beside the target (SPEC §10), the store references, the server's load. */
export function formatApiLatency(result: LatencyResult, rate: number, seconds: number): string[] {
  const lines: string[] = [];
  const figures = (run: Omit<LatencyResult, 'rows'>) => {
    lines.push(`  achieved ${run.achievedRate.toFixed(0)} req/s, ${run.requests} requests, errors ${run.errors}, statuses ${JSON.stringify(run.statuses)}`);
    lines.push(
      `  p50 ${run.p50.toFixed(2)} ms   p90 ${run.p90.toFixed(2)} ms   p99 ${run.p99.toFixed(2)} ms (target ≤ 10 ms: ${run.p99 <= 10 ? 'met' : 'not met'})   max ${run.max.toFixed(1)} ms`,
    );
    if (run.server) {
      lines.push(
        `  server main thread: ${run.server.busyMsPerRequest.toFixed(2)} ms busy per request (${(run.server.utilization * 100).toFixed(0)} %), event-loop delay p99 ${run.server.loopDelayP99Ms.toFixed(1)} ms, max ${run.server.loopDelayMaxMs.toFixed(1)} ms`,
      );
    }
  };
  lines.push(
    `\ncan_send_sms over loopback: ${result.rows} consent rows in dynalite, GET at ${rate}/s for ${seconds} s from a separate process (90% known pairs)`,
  );
  figures(result);
  if (result.store)
    lines.push(
      `  reference, the store alone (SDK GetItem → dynalite, same rate, no HTTP): p50 ${result.store.p50.toFixed(2)} ms   p99 ${result.store.p99.toFixed(2)} ms (target ≤ 10 ms)`,
    );
  if (result.storeRead)
    lines.push(
      `  reference, the handler's read alone (one BatchGetItem: row + opt-out item, same rate, no HTTP): p50 ${result.storeRead.p50.toFixed(2)} ms   p99 ${result.storeRead.p99.toFixed(2)} ms`,
    );
  if (result.canCall) {
    lines.push(`can-call over loopback, same pairs on today's dial gate, GET at ${rate}/s for ${seconds} s`);
    figures(result.canCall);
  }
  return lines;
}
