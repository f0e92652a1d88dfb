/**
 * npm run bench:verify [-- --data bench/out/consent-1024mb]
 *
 * What PrepareRun's verification of the raw inputs costs (docs/feeds.md "Verified before use"): every consent
 * export of the landing zone `--data` (default: the ~1 GB 3-year history bench:consent generates) streamed
 * through gunzip to its end, then the same check again, answered from the lake's memory of verified versions,
 * beside plain `gzip -dc` of the same files. Run bench:consent once first to generate the history.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { listRawKeys } from '../adapters/raw-store.ts';
import { verifyRawObjects } from '../adapters/raw-verification.ts';
import { resources } from '../config/resources.ts';
import { startLocalRuntime } from '../local/runtime/runtime.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: new URL('./out/consent-1024mb/', import.meta.url).pathname } } });
const data = resolve(values.data);
const home = await mkdtemp(join(tmpdir(), 'outbound-bench-verify-'));
const runtime = await startLocalRuntime({ home, data });
try {
  const keys = await listRawKeys(resources.prefixes.consentFeeds);
  if (keys.length === 0) throw new Error(`no consent export under ${data}/consent/ (run npm run bench:consent first)`);
  const first = await verifyRawObjects(keys, { context: 'bench' });
  const again = await verifyRawObjects(keys, { context: 'bench' });
  const started = Date.now();
  for (const key of keys) await promisify(execFile)('sh', ['-c', `gzip -dc '${join(data, key)}' > /dev/null`]);
  const gzipMs = Date.now() - started;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(`bench:verify on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}: ${keys.length} exports under ${data}`);
  console.log(
    `  first run, every file read:  ${(first.milliseconds / 1000).toFixed(2)} s for ${mib(first.compressedBytes)} gzip (${mib(first.decompressedBytes)} of text), ${first.verified} verified`,
  );
  console.log(`  next run, versions remembered: ${(again.milliseconds / 1000).toFixed(2)} s, ${again.remembered} remembered, ${again.verified} read`);
  console.log(`  gzip -dc, one file at a time:  ${(gzipMs / 1000).toFixed(2)} s`);
  console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB`);
} finally {
  await runtime.stop();
  await rm(home, { recursive: true, force: true });
}
