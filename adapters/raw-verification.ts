import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { resources } from '../config/resources.ts';
import {
  failedCheck,
  finishedCheck,
  gzipProblemMessage,
  isReadByEngines,
  verificationMarkerKey,
  type GzipCheck,
  type RawObjectVersion,
} from '../domain/feeds/raw-verification.ts';
import { s3Client } from './aws-clients.ts';

export interface RawVerification {
  /** Objects the run reads (hidden names left out). */
  objects: number;
  /** Read to the end of their gzip stream now. */
  verified: number;
  /** Verified by an earlier run, same version: not read again. */
  remembered: number;
  /** Compressed and decompressed bytes read now. */
  compressedBytes: number;
  decompressedBytes: number;
  milliseconds: number;
  /** The version read of each object (size and ETag; locally size and modification time): what the run's identity hashes. */
  versions: Record<string, string>;
}

/** Objects streamed at once: zlib inflates on libuv's pool (4 threads by default). */
const CONCURRENCY = 4;

/**
 * Verifies, before a run uses them, the landing-zone objects `keys` (docs/feeds.md "Verified before use"):
 * each is streamed through gunzip to its end (every member's end marker, CRC-32 and length trailer) and must
 * hold something. A version verified once is remembered in the lake (`raw-verified/`) and not read again.
 * Throws RawInputDamagedError (`<context>: …`) naming every damaged object and its feed, never its contents.
 */
export async function verifyRawObjects(keys: readonly string[], options: { context: string }): Promise<RawVerification> {
  const started = Date.now();
  const store = rawObjectStore();
  const toCheck = [...new Set(keys)].filter(isReadByEngines).sort();
  const remembered = await rememberedMarkers(toCheck);
  const report: RawVerification = {
    objects: toCheck.length,
    verified: 0,
    remembered: 0,
    compressedBytes: 0,
    decompressedBytes: 0,
    milliseconds: 0,
    versions: {},
  };
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < toCheck.length) {
      const key = toCheck[next++]!;
      const version = await store.version(key);
      report.versions[key] = `${version.size}:${version.tag}`;
      const marker = verificationMarkerKey(resources.prefixes.rawVerified, key, version);
      if (remembered.has(marker)) {
        report.remembered += 1;
        continue;
      }
      const check = await checkGzipStream(await store.open(key, version));
      if (!check.ok) {
        problems.push(gzipProblemMessage(key, check));
        continue;
      }
      report.verified += 1;
      report.compressedBytes += check.compressedBytes;
      report.decompressedBytes += check.decompressedBytes;
      await putMarker(marker, { key, ...version, decompressedBytes: check.decompressedBytes, verifiedAt: new Date().toISOString() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, toCheck.length) }, worker));
  report.milliseconds = Date.now() - started;
  if (problems.length > 0) {
    const files = problems.length === 1 ? '1 file cannot be used (deliver it again)' : `${problems.length} files cannot be used (deliver them again)`;
    throw new RawInputDamagedError(`${options.context}: ${files}: ${problems.sort().join('; ')}`);
  }
  return report;
}

export class RawInputDamagedError extends Error {
  override name = 'RawInputDamagedError';
}

/** Reads `source` through gunzip to its end, counting bytes; no byte of it is kept. */
export async function checkGzipStream(source: Readable): Promise<GzipCheck> {
  let compressed = 0;
  let decompressed = 0;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          compressed += chunk.length;
          yield chunk;
        }
      },
      createGunzip(),
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) decompressed += chunk.length;
      },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only zlib's errors are about the file; a failing read (network, permissions) is not a verdict on it.
    if (typeof code === 'string' && code.startsWith('Z_')) return failedCheck(compressed, error as NodeJS.ErrnoException);
    throw error;
  }
  return finishedCheck(compressed, decompressed);
}

interface RawObjectStore {
  version(key: string): Promise<RawObjectVersion>;
  /** The bytes of exactly that version. */
  open(key: string, version: RawObjectVersion): Promise<Readable>;
}

/** The raw bucket in the cloud, the `OUTBOUND_DATA` directory locally (as adapters/raw-store.ts lists them). */
function rawObjectStore(): RawObjectStore {
  const dataDir = process.env[envNames.localData];
  if (dataDir) {
    return {
      version: async (key) => {
        const info = await stat(join(dataDir, key));
        return { size: info.size, tag: Math.round(info.mtimeMs).toString(36) };
      },
      open: async (key) => createReadStream(join(dataDir, key), { highWaterMark: 1 << 20 }),
    };
  }
  const bucket = requireEnv(envNames.rawBucket);
  return {
    version: async (key) => {
      const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { size: head.ContentLength ?? 0, tag: head.ETag ?? '' };
    },
    // IfMatch: the bytes read are the version remembered, even if the key is delivered again meanwhile.
    open: async (key, version) =>
      (await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: version.tag || undefined }))).Body as Readable,
  };
}

/** The markers under the folders of `keys`: one listing per folder (a day's folder, or a feed's). */
async function rememberedMarkers(keys: readonly string[]): Promise<Set<string>> {
  const folders = [...new Set(keys.map((key) => `${resources.prefixes.rawVerified}${key.slice(0, key.lastIndexOf('/') + 1)}`))];
  const bucket = requireEnv(envNames.lakeBucket);
  const markers = new Set<string>();
  await Promise.all(
    folders.map(async (prefix) => {
      let token: string | undefined;
      do {
        const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) markers.add(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }),
  );
  return markers;
}

async function putMarker(key: string, value: unknown): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({ Bucket: requireEnv(envNames.lakeBucket), Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }),
  );
}
