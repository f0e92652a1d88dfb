import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lineAlignedRanges } from '../../adapters/duckdb-engine.ts';

// The DuckDB engine cuts a large unload into parts at line ends: every part holds whole lines, in order.
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function fileWith(text: string): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'ranges-'));
  const file = join(dir, 'unload.jsonl');
  await writeFile(file, text);
  return file;
}

async function parts(text: string, partBytes: number): Promise<string[]> {
  const file = await fileWith(text);
  const bytes = await readFile(file);
  return (await lineAlignedRanges(file, partBytes)).map(({ start, end }) => bytes.subarray(start, end === undefined ? undefined : end + 1).toString());
}

describe('lineAlignedRanges', () => {
  it('cuts just after the first line feed at or past each part size, whole lines in order', async () => {
    // Prepare
    const lines = ['{"a":1}\n', '{"a":22}\n', '{"a":333}\n', '{"a":4444}\n', '{"a":5}\n'];
    // Act
    const cut = await parts(lines.join(''), 10);
    // Assess
    expect(cut).toEqual(['{"a":1}\n{"a":22}\n', '{"a":333}\n', '{"a":4444}\n', '{"a":5}\n']);
  });

  it('keeps a file smaller than one part whole, and an empty file as one empty part', async () => {
    // Act / Assess
    expect(await parts('{"a":1}\n{"a":2}\n', 1024)).toEqual(['{"a":1}\n{"a":2}\n']);
    expect(await parts('', 1024)).toEqual(['']);
  });

  it('finds a line end beyond the read buffer (a line longer than 64 KiB)', async () => {
    // Prepare
    const long = `${'x'.repeat(100_000)}\n`;
    // Act
    const cut = await parts(`${long}short\n${long}`, 10);
    // Assess: the second part reaches past 10 bytes into the long line, up to its end.
    expect(cut.map((part) => part.length)).toEqual([long.length, 'short\n'.length + long.length]);
    expect(cut.join('')).toBe(`${long}short\n${long}`);
  });
});
