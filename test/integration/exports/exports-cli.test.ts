import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { resources } from '../../../config/resources.ts';
import { sha256Hex } from '../../../domain/exports/manifest.ts';
import type { ExportedList } from '../../../domain/exports/exported-list.ts';
import { registerExports } from '../../../local/cli/commands/exports.ts';
import { startLocalRuntime } from '../../../local/runtime/runtime.ts';
import { LOAD_DATE, temporaryDirectory, writeExports } from '../../domain/exports/fixtures.ts';
import { builtInTemplate } from '../../../domain/exports/template.ts';

const lists: ExportedList[] = [
  {
    set_name: 'COLLECTIONS_CALL',
    list_name: 'BLUE_FCU_1_29',
    channel: 'call',
    genesys_list_id: null,
    template: builtInTemplate('call'),
    held: false,
    delivery: null,
  },
  { set_name: 'EMAILS', list_name: 'PAST DUE EMAIL', channel: 'email', genesys_list_id: null, template: builtInTemplate('email'), held: false, delivery: null },
];

let root: Awaited<ReturnType<typeof temporaryDirectory>>;
const home = () => join(root.path, 'home');
const out = () => join(root.path, 'out');

/** Prepares the home's exports bucket with its own runtime, stopped before the command starts its own. */
async function withRuntime(prepare: () => Promise<void>): Promise<void> {
  const runtime = await startLocalRuntime({ home: home() });
  try {
    await prepare();
  } finally {
    await runtime.stop();
  }
}

async function exportsCommand(...args: string[]): Promise<string[]> {
  const program = new Command('outbound').exitOverride();
  registerExports(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await program.parseAsync(['exports', ...args, '--home', home()], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return lines;
}

beforeEach(async () => {
  root = await temporaryDirectory();
});
afterEach(async () => {
  await root.cleanup();
});

describe('outbound exports', () => {
  it("copies the day's files and manifest out, each file matching the manifest's sha256", async () => {
    // Prepare
    let manifest!: Awaited<ReturnType<typeof writeExports>>;
    await withRuntime(async () => {
      manifest = await writeExports(lists, ['P1', 'P2']);
    });
    // Act
    const lines = await exportsCommand('--date', LOAD_DATE, '--out', out());
    // Assess
    expect(lines.at(-1)).toBe(`2 files and manifest.json of ${LOAD_DATE} (run ${manifest.run_id}) copied to ${out()}`);
    expect(JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8'))).toEqual(manifest);
    for (const entry of manifest.files) expect(sha256Hex(await readFile(join(out(), entry.file)))).toBe(entry.sha256);
    expect((await readFile(join(out(), 'EMAILS/PAST DUE EMAIL.csv'), 'utf8')).split('\r\n')[0]).toMatch(/^payoffuid,account_number,/);
  });

  it('refuses a file that does not match the manifest, and a date without exports', async () => {
    // Prepare
    await withRuntime(async () => {
      await writeExports(lists, ['P1']);
      await s3Client().send(
        new PutObjectCommand({ Bucket: resources.buckets.exports, Key: `exports/date=${LOAD_DATE}/COLLECTIONS_CALL/BLUE_FCU_1_29.csv`, Body: 'changed' }),
      );
    });
    // Act / Assess
    await expect(exportsCommand('--date', LOAD_DATE, '--out', out())).rejects.toThrow(/COLLECTIONS_CALL\/BLUE_FCU_1_29.csv: does not match the manifest/);
    await expect(exportsCommand('--date', '2026-11-21', '--out', out())).rejects.toThrow(
      /no complete exports for 2026-11-21: s3:\/\/outbound-exports\/exports\/date=2026-11-21\/manifest.json: no such object/,
    );
    await expect(exportsCommand('--date', '2026-02-30', '--out', out())).rejects.toThrow(/--date must be a date written YYYY-MM-DD/);
  });
});
