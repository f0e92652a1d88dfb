import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Reads the generated §3.2 feeds back (test helper). */

export interface FeedFileContent {
  /** Relative to the landing zone. */
  key: string;
  header: string;
  /** CSV rows by column name; for JSON Lines, the parsed objects. */
  rows: Record<string, string>[];
  json: unknown[];
}

/** Every file under `dir/feed`, recursively, sorted by key. */
export async function readLandingFeed(dir: string, feed: string): Promise<FeedFileContent[]> {
  const root = path.join(dir, feed);
  const files: FeedFileContent[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, full).split(path.sep).join('/');
    const lines = gunzipSync(await readFile(full))
      .toString('utf8')
      .split('\n');
    if (lines.pop() !== '') throw new Error(`${key} does not end with a newline`);
    if (key.endsWith('.jsonl.gz')) {
      files.push({ key, header: '', rows: [], json: lines.map((line) => JSON.parse(line) as unknown) });
      continue;
    }
    const [header, ...body] = lines;
    const columns = header.split('|');
    const rows = body.map((line) => {
      const values = line.split('|');
      if (values.length !== columns.length) throw new Error(`${key}: ${values.length} fields instead of ${columns.length}`);
      return Object.fromEntries(values.map((value, i) => [columns[i], value]));
    });
    files.push({ key, header, rows, json: [] });
  }
  return files;
}

export function rowsOf(files: readonly FeedFileContent[]): Record<string, string>[] {
  return files.flatMap((file) => file.rows);
}
