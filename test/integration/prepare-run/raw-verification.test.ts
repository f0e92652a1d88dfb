import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { listKeysUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { RawInputDamagedError, verifyRawObjects } from '../../../adapters/raw-verification.ts';
import { envNames } from '../../../config/environment.ts';
import { resources } from '../../../config/resources.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';

/**
 * The verification as it runs in the cloud: the landing zone is the raw bucket (s3rver, OUTBOUND_DATA unset),
 * a version is the object's size and ETag, and the memory of verified versions is in the lake.
 */
let root: string;
let runtime: LocalRuntime;
let day = 0;
const dispositions = () => `dispositions/date=2026-10-${String(10 + day).padStart(2, '0')}/dispositions_202610${String(10 + day).padStart(2, '0')}.csv.gz`;

const deliver = (key: string, body: Buffer) => s3Client().send(new PutObjectCommand({ Bucket: resources.buckets.raw, Key: key, Body: body }));
const lines = (count: number) => gzipSync(Array.from({ length: count }, (_, line) => `${line}|acct-${line * 7919}|call`).join('\n'));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-raw-verification-'));
  runtime = await startLocalRuntime({ home: join(root, 'home') });
  delete process.env[envNames.localData];
});

beforeEach(() => {
  day += 1;
});

afterAll(async () => {
  await runtime.stop();
  await rm(root, { recursive: true, force: true });
});

describe('verifyRawObjects against the raw bucket', () => {
  it('reads a complete object once per version: remembered by size and ETag, read again when delivered again', async () => {
    // Prepare
    const key = dispositions();
    await deliver(key, lines(5000));
    // Act
    const first = await verifyRawObjects([key], { context: 'test' });
    const again = await verifyRawObjects([key], { context: 'test' });
    await deliver(key, lines(6000));
    const redelivered = await verifyRawObjects([key], { context: 'test' });
    // Assess
    expect(first).toMatchObject({ objects: 1, verified: 1, remembered: 0, decompressedBytes: expect.any(Number) });
    expect(first.decompressedBytes).toBeGreaterThan(first.compressedBytes);
    expect(again).toMatchObject({ objects: 1, verified: 0, remembered: 1, compressedBytes: 0 });
    expect(redelivered).toMatchObject({ verified: 1, remembered: 0 });
    const markers = await listKeysUnderPrefix(resources.buckets.lake, `${resources.prefixes.rawVerified}${key}/`);
    expect(markers).toHaveLength(2);
    expect(markers.every((marker) => /\/\d+-[0-9a-f]{32}\.json$/.test(marker))).toBe(true);
  });

  it('refuses an object cut short, names it with its feed, and remembers nothing for it', async () => {
    // Prepare
    const key = dispositions();
    const whole = lines(5000);
    await deliver(key, whole.subarray(0, Math.floor(whole.length * 0.95)));
    // Act
    const run = verifyRawObjects([key], { context: 'feeds for 2026-11-20' });
    // Assess
    await expect(run).rejects.toBeInstanceOf(RawInputDamagedError);
    await expect(run).rejects.toThrow(`feeds for 2026-11-20: 1 file cannot be used (deliver it again): dispositions file ${key} is cut short`);
    expect(await listKeysUnderPrefix(resources.buckets.lake, `${resources.prefixes.rawVerified}${key}/`)).toEqual([]);
  });
});
