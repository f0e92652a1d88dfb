import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { z } from 'zod';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from './aws-clients.ts';
import { schemaProblems } from '../domain/values/schema-problems.ts';

/** A row of a Parquet object that is not the expected record; the message names the object and row only. */
export class InvalidParquetRowError extends Error {
  override name = 'InvalidParquetRowError';
}

/**
 * Streams one Parquet object, row group by row group (ranged GETs: memory follows a row group, not the
 * file), each row validated by `schema`. Errors name the object and the row number (1 = the first row),
 * never a value: `InvalidParquetRowError` for a bad row, else a read error.
 */
export async function* streamParquetRows<T>(bucket: string, key: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const where = `s3://${bucket}/${key}`;
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await objectBuffer(bucket, key);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new Error(`${where}: not a Parquet file: ${(error as Error).message}`);
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    } catch (error) {
      throw new Error(`${where}: cannot read rows ${rowStart + 1}–${rowEnd}: ${(error as Error).message}`);
    }
    for (const [index, row] of rows.entries()) {
      const parsed = schema.safeParse(row);
      if (!parsed.success) {
        const problems = schemaProblems(parsed.error, '(row)');
        throw new InvalidParquetRowError(`${where}: row ${rowStart + index + 1}: ${problems.join('; ')}`);
      }
      yield parsed.data;
    }
    rowStart = rowEnd;
  }
}

/** An S3 object as hyparquet reads a file: its size, and byte ranges fetched on demand. */
async function objectBuffer(bucket: string, key: string): Promise<AsyncBuffer> {
  const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const byteLength = head.ContentLength ?? 0;
  return {
    byteLength,
    slice: async (start, end = byteLength) => {
      if (end <= start) return new ArrayBuffer(0);
      const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }));
      if (!object.Body) throw new Error('empty response body');
      const bytes = await object.Body.transformToByteArray();
      if (bytes.byteLength !== end - start) throw new Error(`range ${start}-${end - 1}: ${bytes.byteLength} bytes returned`);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
