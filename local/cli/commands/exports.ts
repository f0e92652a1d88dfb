import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { resources } from '../../../config/resources.ts';
import { isIsoDate } from '../../../domain/values/load-date.ts';
import { exportsPrefix, MANIFEST_FILE } from '../../../domain/exports/layout.ts';
import { parseExportManifest, verifyExportFile, type ExportManifest } from '../../../domain/exports/manifest.ts';
import { readObject } from '../../../adapters/export-files.ts';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';

/**
 * Copies a day's export files and manifest out of the exports bucket into `out` (same relative
 * paths as in the bucket under `exports/date=D/`), each file checked against the manifest's sha256
 * before it is written; the manifest is written last. The local runtime must be started.
 */
export async function copyExports(loadDate: string, out: string): Promise<ExportManifest> {
  const bucket = resources.buckets.exports;
  const prefix = exportsPrefix(loadDate);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readObject(bucket, `${prefix}${MANIFEST_FILE}`);
  } catch (error) {
    throw new Error(`no complete exports for ${loadDate}: ${(error as Error).message}`);
  }
  const manifest = parseExportManifest(manifestBytes.toString('utf8'), `${prefix}${MANIFEST_FILE}`);
  for (const entry of manifest.files) {
    const content = await readObject(bucket, `${prefix}${entry.file}`);
    verifyExportFile(entry, content);
    const target = join(out, entry.file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, MANIFEST_FILE), manifestBytes);
  return manifest;
}

export function registerExports(program: Command): void {
  program
    .command('exports')
    .description("copy a day's exported list files and their manifest out of the local exports bucket (checked against the manifest)")
    .requiredOption('--date <date>', 'load date YYYY-MM-DD')
    .requiredOption('--out <dir>', 'directory to copy the files into')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .action(async (options: { date: string; out: string; home: string }) => {
      if (!isIsoDate(options.date)) throw new Error(`--date must be a date written YYYY-MM-DD, not ${JSON.stringify(options.date)}`);
      const runtime = await startLocalRuntime({ home: options.home });
      try {
        const out = resolve(options.out);
        const manifest = await copyExports(options.date, out);
        for (const entry of manifest.files) console.log(`${entry.file}\t${entry.channel}\t${entry.rows} rows\tsha256 ${entry.sha256}`);
        console.log(`${manifest.files.length} files and ${MANIFEST_FILE} of ${options.date} (run ${manifest.run_id}) copied to ${out}`);
      } finally {
        await runtime.stop();
      }
    });
}
