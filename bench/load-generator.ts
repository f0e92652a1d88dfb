/**
 * Open-loop HTTP load generator for the can_send_sms benchmark, run in its own process so that it
 * does not share the server's event loop. Requests are sent on a fixed schedule (RATE per second)
 * whatever the answers' latency, and each latency is measured from the request's scheduled time, so
 * a stalled server shows up in the figures instead of slowing the load down (no coordinated omission).
 * Usage: node --import tsx bench/load-generator.ts URL RATE SECONDS PATHS_FILE  → prints JSON results.
 */
import { Agent, request } from 'node:http';
import { readFile } from 'node:fs/promises';

const [url, rateText, secondsText, pathsFile] = process.argv.slice(2);
if (!url || !rateText || !secondsText || !pathsFile) throw new Error('usage: load-generator URL RATE SECONDS PATHS_FILE');
const rate = Number(rateText);
const total = Math.round(rate * Number(secondsText));
const paths = JSON.parse(await readFile(pathsFile, 'utf8')) as string[];
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);

const latencies: number[] = [];
const statuses = new Map<number, number>();
let errors = 0;
let sent = 0;
let done = 0;
const start = performance.now();

await new Promise<void>((finished) => {
  const fire = (index: number) => {
    const scheduled = start + (index * 1000) / rate;
    const req = request({ host: target.hostname, port: target.port, path: paths[index % paths.length], method: 'GET', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - scheduled);
        statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
        if (++done === total) finished();
      });
    });
    req.on('error', () => {
      errors += 1;
      if (++done === total) finished();
    });
    req.end();
  };
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (sent < due) fire(sent++);
    if (sent === total) clearInterval(tick);
  }, 1);
});

const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
console.log(
  JSON.stringify({
    requests: total,
    seconds: elapsed,
    achievedRate: total / elapsed,
    errors,
    statuses: Object.fromEntries(statuses),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies.at(-1),
  }),
);
agent.destroy();
