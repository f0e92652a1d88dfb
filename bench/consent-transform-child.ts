/**
 * One measured consent transform in its own process (so its peak memory is its own), on the local
 * stand-ins: prints one JSON line with the step times, the result and the process's peak resident set size.
 */
import { listRawKeys } from '../adapters/raw-store.ts';
import { DuckDbEngine } from '../adapters/duckdb-engine.ts';
import { resources } from '../config/resources.ts';
import { runConsentTransform } from '../lambdas/consent-transform/transform.ts';
import { startLocalRuntime } from '../local/runtime/runtime.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const [data, home, date, memoryLimit] = process.argv.slice(2) as [string, string, string, string];
const runtime = await startLocalRuntime({ home, data });
const steps: { step: string; rows: number; ms: number }[] = [];
try {
  const started = performance.now();
  let last = started;
  const engine = await DuckDbEngine.open({ home, dataDir: data, memoryLimit });
  try {
    const result = await runConsentTransform(engine, {
      asOfDate: date,
      lakeBucket: resources.buckets.lake,
      consentKeys: await listRawKeys(resources.prefixes.consentFeeds),
      log: (step, rows) => {
        const now = performance.now();
        steps.push({ step, rows, ms: now - last });
        last = now;
      },
    });
    const { changes } = result.rows;
    steps.push({ step: 'summary + changes unload', rows: changes.new + changes.changed + changes.gone, ms: performance.now() - last });
    const totalMs = performance.now() - started;
    console.log(JSON.stringify({ totalMs, steps, result, maxRssKb: process.resourceUsage().maxRSS }));
  } finally {
    await engine.close();
  }
} finally {
  await runtime.stop();
}
