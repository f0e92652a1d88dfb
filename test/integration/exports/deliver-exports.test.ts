import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parse, stringify } from 'yaml';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { readExportManifest } from '../../../adapters/export-files.ts';
import { envNames } from '../../../config/environment.ts';
import { resources } from '../../../config/resources.ts';
import { exportsPrefix, MANIFEST_FILE } from '../../../domain/exports/layout.ts';
import { sha256Hex, type ExportManifest } from '../../../domain/exports/manifest.ts';
import { parsePartnerRegistry } from '../../../domain/exports/partners.ts';
import { handler } from '../../../lambdas/deliver-exports/handler.ts';
import { runDailyLocally } from '../../../local/runtime/daily-run.ts';
import { generateFeeds } from '../../../local/generate/feeds.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { startSftpServer } from '../../../local/runtime/sftp-server.ts';

/**
 * DeliverExports against the local stand-ins: the exports bucket in s3rver, one embedded SFTP server per partner
 * (started by the local runtime), the step's handler as the state machine calls it; then a whole local run whose
 * configuration delivers a list.
 */
const DATE = '2026-11-20';
const RUN = `${DATE}-0123456789ab`;
const input = { runId: RUN, attempt: 'local-test-1', loadDate: DATE };
const bucket = resources.buckets.exports;

const files: Record<string, { content: Buffer; delivery: string | null }> = {
  'COLLECTIONS/SIMM.csv': { content: Buffer.from('PAYOFFUID,LOANID\r\nabc,1\r\ndef,2\r\n'), delivery: 'simm' },
  'COLLECTIONS/CALL LIST.csv': { content: Buffer.from('payoffuid\r\nabc\r\n'), delivery: null },
  'MARKETING/PIF EMAIL.csv': { content: Buffer.from('EMAIL\r\nx@example.com\r\n'), delivery: 'email_provider' },
};

let root: string;
let home: string;
let runtime: LocalRuntime | undefined;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
const put = (key: string, body: Buffer | string) => s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const partnerFiles = (partner: string) => readdir(join(home, 'partners', partner)).catch(() => [] as string[]);

async function writeDay(deliveries = true): Promise<ExportManifest> {
  const manifest: ExportManifest = {
    load_date: DATE,
    run_id: RUN,
    attempt: input.attempt,
    files: Object.entries(files).map(([file, { content, delivery }]) => ({
      file,
      set_name: file.split('/')[0]!,
      list_name: file.split('/')[1]!.replace('.csv', ''),
      channel: 'call',
      rows: 1,
      bytes: content.byteLength,
      sha256: sha256Hex(content),
      contacts_not_exported: 0,
      part: null,
      contact_id_column: null,
      account_column: null,
      delivery: deliveries ? delivery : null,
    })),
  };
  for (const [file, { content }] of Object.entries(files)) await put(`${exportsPrefix(DATE)}${file}`, content);
  await put(`${exportsPrefix(DATE)}${MANIFEST_FILE}`, JSON.stringify(manifest));
  return manifest;
}

/** Replaces the local registry for one test (the runtime restores nothing it did not set: the variable is put back here). */
function withRegistry(change: (registry: ReturnType<typeof parsePartnerRegistry>) => void): void {
  const registry = parsePartnerRegistry(process.env[envNames.partners], envNames.partners);
  change(registry);
  process.env[envNames.partners] = JSON.stringify(registry);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-deliver-'));
  home = join(root, 'home');
});
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  delete process.env[envNames.partners];
  delete process.env[envNames.campaignConfig];
  await rm(root, { recursive: true, force: true });
});

describe('DeliverExports on the local stand-ins', () => {
  it("delivers each file with a delivery to its partner's embedded server, reconciled (size and sha256 read back), and replaces it on a re-delivery", async () => {
    // Prepare
    runtime = await startLocalRuntime({ home, partners: ['simm', 'email_provider'] });
    await writeDay();
    // Act
    const result = await handler(input);
    const again = await handler(input);
    // Assess
    expect(result).toEqual({
      nothingToDeliver: null,
      delivered: [
        {
          partner: 'simm',
          file: 'COLLECTIONS/SIMM.csv',
          remotePath: '/SIMM.csv',
          bytes: files['COLLECTIONS/SIMM.csv']!.content.byteLength,
          sha256: sha256Hex(files['COLLECTIONS/SIMM.csv']!.content),
          via: 'sftp',
        },
        {
          partner: 'email_provider',
          file: 'MARKETING/PIF EMAIL.csv',
          remotePath: '/PIF EMAIL.csv',
          bytes: files['MARKETING/PIF EMAIL.csv']!.content.byteLength,
          sha256: sha256Hex(files['MARKETING/PIF EMAIL.csv']!.content),
          via: 'sftp',
        },
      ],
    });
    expect(again).toEqual(result);
    expect(await readFile(join(home, 'partners/simm/SIMM.csv'))).toEqual(files['COLLECTIONS/SIMM.csv']!.content);
    expect(await partnerFiles('simm')).toEqual(['SIMM.csv']);
    expect(await partnerFiles('email_provider')).toEqual(['PIF EMAIL.csv']);
  });

  it('has nothing to do, and says so, when no file has a delivery (and no partner server was started)', async () => {
    runtime = await startLocalRuntime({ home });
    await writeDay(false);
    expect(process.env[envNames.partners]).toBeUndefined();
    expect(await handler(input)).toEqual({ delivered: [], nothingToDeliver: 'no file of the manifest has a delivery' });
  });

  it('fails visibly on a server whose host key is not the pinned one, sending nothing to it', async () => {
    // Prepare: simm's pinned key is another server's
    runtime = await startLocalRuntime({ home, partners: ['simm', 'email_provider'] });
    await writeDay();
    const other = await startSftpServer({ root: join(root, 'other'), username: 'x', password: 'y' });
    await other.close();
    withRegistry((registry) => {
      registry.simm!.trustedHostKey = other.hostPublicKey;
    });
    // Act
    const failure = await failureOf(handler(input));
    // Assess
    expect(failure?.message).toMatch(
      /^partner delivery failed for 1 of 2 partners: partner simm \(COLLECTIONS\/SIMM\.csv\): sftp:\/\/127\.0\.0\.1:\d+: the server's host key \(SHA256:\S+\) is not the pinned key \(SHA256:\S+\); nothing was sent$/,
    );
    expect(await partnerFiles('simm')).toEqual([]);
    expect(await partnerFiles('email_provider')).toEqual(['PIF EMAIL.csv']);
  });

  it('fails visibly on a file changed after the manifest was written, naming partner and file, never its contents', async () => {
    runtime = await startLocalRuntime({ home, partners: ['simm', 'email_provider'] });
    await writeDay();
    await put(`${exportsPrefix(DATE)}COLLECTIONS/SIMM.csv`, 'PAYOFFUID,LOANID\r\nabc,1\r\nzzz,3\r\n');
    const failure = await failureOf(handler(input));
    expect(failure?.message).toMatch(
      /^partner delivery failed for 1 of 2 partners: partner simm \(COLLECTIONS\/SIMM\.csv\): COLLECTIONS\/SIMM\.csv: does not match the manifest \(sha256 [0-9a-f]{64}, \d+ bytes; manifest: [0-9a-f]{64}, \d+ bytes\)$/,
    );
    expect(failure?.message).not.toContain('zzz');
    expect(await partnerFiles('simm')).toEqual([]);
  });

  it('fails visibly, before sending anything, on a delivery to a partner that is not in the registry', async () => {
    runtime = await startLocalRuntime({ home, partners: ['simm', 'email_provider'] });
    await writeDay();
    withRegistry((registry) => {
      delete registry.email_provider;
    });
    const failure = await failureOf(handler(input));
    expect(failure?.message).toBe('cannot deliver the exports: partner email_provider (MARKETING/PIF EMAIL.csv) is not in the partner registry (simm)');
    expect(await partnerFiles('simm')).toEqual([]);
  });
});

/** The sample configuration with its first list delivered to simm, and a day of generated feeds. */
async function deliveringRun(): Promise<{ data: string; set: { name: string }; list: { name: string } }> {
  const config = parse(await readFile(new URL('../../../config/campaigns.yaml', import.meta.url), 'utf8'));
  const [set] = config.sets;
  const [list] = set.lists;
  list.export = { ...list.export, delivery: 'simm' };
  const configFile = join(root, 'campaigns.yaml');
  await writeFile(configFile, stringify(config));
  process.env[envNames.campaignConfig] = configFile;
  const data = join(root, 'data');
  await generateFeeds({ out: data, date: DATE, customers: 150, seed: 5 });
  return { data, set, list };
}

describe('a local run whose configuration delivers a list', () => {
  it('fails the run visibly (NotifyFailure) when the partner is not in the registry', { timeout: 180_000 }, async () => {
    // Prepare: a registry of one's own, without simm
    const { data } = await deliveringRun();
    process.env[envNames.partners] = '{}';
    // Act
    const failure = await failureOf(runDailyLocally({ data, date: DATE, home, steps: 'all' }));
    // Assess
    expect(failure?.name).toBe('DailyRunFailedError');
    expect(failure?.message).toMatch(/cannot deliver the exports: partner simm \(.+\) is not in the partner registry \(empty\)/);
    expect((await readdir(join(home, 'notifications'))).length).toBe(1);
    expect(await partnerFiles('simm')).toEqual([]);
  });

  it('starts the partner’s embedded server, delivers the list’s export file to <home>/partners/<partner>/, and stops it', { timeout: 180_000 }, async () => {
    // Prepare
    const { data, set, list } = await deliveringRun();
    // Act
    const summary = await runDailyLocally({ data, date: DATE, home, steps: 'all' });
    // Assess: the file on the partner's side is the export file, byte for byte, and the summary says so
    runtime = await startLocalRuntime({ home });
    const manifest = await readExportManifest(bucket, DATE);
    const delivered = manifest.files.filter((entry) => entry.delivery === 'simm');
    expect(delivered.map((entry) => [entry.set_name, entry.list_name])).toEqual([[set.name, list.name]]);
    const name = delivered[0]!.file.split('/').at(-1)!;
    expect(await partnerFiles('simm')).toEqual([name]);
    expect(sha256Hex(await readFile(join(home, 'partners/simm', name)))).toBe(delivered[0]!.sha256);
    expect(summary.deliveries).toEqual([{ partner: 'simm', file: delivered[0]!.file, bytes: delivered[0]!.bytes, via: 'sftp' }]);
    expect(process.env[envNames.partners]).toBeUndefined();
  });
});
