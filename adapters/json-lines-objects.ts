import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip, gzip } from 'node:zlib';
import type { z } from 'zod';
import { GetObjectCommand, type GetObjectCommandOutput, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from './aws-clients.ts';
import { lakeObjectTagging } from './lake-retention.ts';
import { listKeysUnderPrefix } from './s3-prefix.ts';
import { schemaProblems } from '../domain/values/schema-problems.ts';

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/** gzip level of the objects written: the fastest, since these objects are read once by the next step. */
const GZIP_LEVEL = 1;

/**
 * Every JSON Lines object under `prefix` (gzip when the key ends in `.gz`), in key order, parsed line by
 * line. A line that is not JSON fails with the object's key and line number, never its content.
 * (De)compression runs on libuv's thread pool, beside the JavaScript thread.
 */
export async function readJsonLinesObjects(bucket: string, prefix: string): Promise<unknown[]> {
  const keys = await listKeysUnderPrefix(bucket, prefix);
  const texts = await Promise.all(
    keys.map(async (key) => {
      const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!object.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
      const bytes = await object.Body.transformToByteArray();
      return (key.endsWith('.gz') ? await gunzipAsync(bytes) : Buffer.from(bytes)).toString('utf8');
    }),
  );
  const records: unknown[] = [];
  texts.forEach((text, index) => {
    let start = 0;
    for (let line = 1; start < text.length; line++) {
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      if (stop > start) {
        try {
          records.push(JSON.parse(text.slice(start, stop)));
        } catch {
          throw new Error(`s3://${bucket}/${keys[index]}:${line}: not valid JSON`);
        }
      }
      start = stop + 1;
    }
  });
  return records;
}

/** Writes `text` (JSON Lines) gzip-compressed as one object; the same key is simply overwritten. */
export async function putGzipJsonLines(bucket: string, key: string, text: string): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      // A Buffer body, not a stream: streamed uploads use aws-chunked encoding, which s3rver stores verbatim.
      Body: await gzipAsync(text, { level: GZIP_LEVEL }),
      ContentType: 'application/gzip',
      Tagging: lakeObjectTagging(key),
    }),
  );
}

/** A line of a JSON Lines object that is not JSON or not the expected record; the message names the object and line only. */
export class InvalidJsonLineError extends Error {
  override name = 'InvalidJsonLineError';
}

/**
 * Streams one gzip JSON Lines object, each line validated by `schema`, in constant memory. Errors name the
 * object and the line number, never a value: `InvalidJsonLineError` for a bad line, else a read error.
 */
export async function* streamGzipJsonLines<T>(bucket: string, key: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const where = `s3://${bucket}/${key}`;
  let object: GetObjectCommandOutput;
  try {
    object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  if (!object.Body) throw new Error(`${where}: empty response body`);
  const body = object.Body as Readable;
  const text = createGunzip();
  body.on('error', (error) => text.destroy(error));
  body.pipe(text);

  let lineNumber = 0;
  try {
    for await (const line of createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InvalidJsonLineError(`${where}:${lineNumber}: not valid JSON`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const problems = schemaProblems(parsed.error, '(line)');
        throw new InvalidJsonLineError(`${where}:${lineNumber}: ${problems.join('; ')}`);
      }
      yield parsed.data;
    }
  } catch (error) {
    if (error instanceof InvalidJsonLineError) throw error;
    throw new Error(`${where}: cannot read the gzip JSON Lines file: ${(error as Error).message}`);
  } finally {
    body.destroy();
  }
}
