import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TransformOptions } from 'node:stream';
import { createGzip, type Gzip, type ZlibOptions } from 'node:zlib';

export interface WrittenFile {
  /** Absolute path. */
  path: string;
  rows: number;
  /** Compressed size. */
  bytes: number;
}

export interface SplitGzipOptions {
  /**
   * Uncompressed bytes after which the next chunk starts a new file. Splitting on uncompressed
   * size keeps the split points, hence the files, byte-identical from one run to the next.
   */
  maxRawBytesPerFile: number;
  /** zlib level 1–9. */
  level: number;
  /** File name extension; default `csv.gz`. */
  extension?: string;
}

interface Part {
  tempPath: string;
  gzip: Gzip;
  file: WriteStream;
  done: Promise<void>;
  rawBytes: number;
  rows: number;
}

const MAX_CHUNK_BYTES = 1 << 20;
const MIN_CHUNK_BYTES = 1 << 10;
const PENDING_BYTES = 1 << 12;

/**
 * Streams lines into `<dir>/<base>.csv.gz`, or `<base>_001.csv.gz`, `<base>_002.csv.gz` … when the
 * text is larger than one file may hold; every file starts with the header. Lines are copied
 * into large buffers (short-lived strings, little garbage); the caller flushes when `needsFlush`,
 * and gzip runs on the libuv thread pool while the caller produces the next rows. Files are written under a temporary name and get
 * their final names on `close`, so a reader never sees a half-written feed file.
 */
export class SplitGzipWriter {
  private readonly parts: Part[] = [];
  private current: Part | undefined;
  private readonly chunkBytes: number;
  private readonly pendingBytes: number;
  private chunk: Buffer;
  private used = 0;
  private chunkRows = 0;
  private pending = '';
  private pendingRows = 0;
  /** Filled chunks waiting for `flush`, with their row counts. */
  private readonly filled: { chunk: Buffer; rows: number }[] = [];

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly header: string,
    private readonly options: SplitGzipOptions,
  ) {
    this.chunkBytes = Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, Math.floor(options.maxRawBytesPerFile / 8)));
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.pendingBytes = Math.min(PENDING_BYTES, this.chunkBytes >> 2);
  }

  /** Adds one line (ASCII, with its trailing newline). */
  add(line: string): void {
    this.pending += line;
    this.pendingRows++;
    if (this.pending.length >= this.pendingBytes) this.copyPending();
  }

  /** Lines are joined in a short string first: one buffer write per few dozen lines costs far less than one per line. */
  private copyPending(): void {
    if (this.used + this.pending.length > this.chunkBytes) this.seal();
    if (this.pending.length > this.chunkBytes) throw new Error(`line longer than ${this.chunkBytes} bytes in ${this.base}`);
    this.used += this.chunk.write(this.pending, this.used, 'latin1');
    this.chunkRows += this.pendingRows;
    this.pending = '';
    this.pendingRows = 0;
  }

  get needsFlush(): boolean {
    return this.filled.length > 0;
  }

  /** Hands the filled chunks to gzip, starting a new file first whenever the current one is full. */
  async flush(): Promise<void> {
    for (let next = this.filled.shift(); next; next = this.filled.shift()) {
      const current = this.current;
      const part =
        current && (current.rows === 0 || current.rawBytes + next.chunk.length <= this.options.maxRawBytesPerFile) ? current : await this.startPart();
      part.rawBytes += next.chunk.length;
      part.rows += next.rows;
      if (!part.gzip.write(next.chunk)) await Promise.race([once(part.gzip, 'drain'), part.done]);
    }
  }

  private seal(): void {
    if (this.used === 0) return;
    this.filled.push({ chunk: this.chunk.subarray(0, this.used), rows: this.chunkRows });
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
    this.chunkRows = 0;
  }

  /** Ends the last file and names all of them; returns them in order. */
  async close(): Promise<WrittenFile[]> {
    this.copyPending();
    this.seal();
    await this.flush();
    if (!this.current && this.parts.length === 0) await this.startPart();
    await this.endCurrent();
    const single = this.parts.length === 1;
    const files: WrittenFile[] = [];
    for (const [index, part] of this.parts.entries()) {
      const extension = this.options.extension ?? 'csv.gz';
      const name = single ? `${this.base}.${extension}` : `${this.base}_${String(index + 1).padStart(3, '0')}.${extension}`;
      const finalPath = path.join(this.dir, name);
      await rename(part.tempPath, finalPath);
      files.push({ path: finalPath, rows: part.rows, bytes: part.file.bytesWritten });
    }
    return files;
  }

  private async startPart(): Promise<Part> {
    await this.endCurrent();
    const tempPath = path.join(this.dir, `.${this.base}_${String(this.parts.length + 1).padStart(3, '0')}.${this.options.extension ?? 'csv.gz'}.partial`);
    // A deep input buffer lets the caller produce rows while the thread pool compresses earlier chunks.
    const gzipOptions: ZlibOptions & TransformOptions = { level: this.options.level, chunkSize: 64 * 1024, highWaterMark: 4 * MAX_CHUNK_BYTES };
    const gzip = createGzip(gzipOptions);
    const file = createWriteStream(tempPath);
    const done = pipeline(gzip, file);
    done.catch(() => undefined); // awaited in endCurrent; this only prevents an unhandled rejection meanwhile
    const part: Part = { tempPath, gzip, file, done, rawBytes: this.header.length, rows: 0 };
    gzip.write(Buffer.from(this.header, 'latin1'));
    this.parts.push(part);
    this.current = part;
    return part;
  }

  private async endCurrent(): Promise<void> {
    const part = this.current;
    if (!part) return;
    this.current = undefined;
    part.gzip.end();
    await part.done;
  }
}
