import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deliverExports, NOTHING_TO_DELIVER, type DeliverOptions } from '../../../lambdas/deliver-exports/deliver.ts';
import { sha256Hex, type ExportManifest } from '../../../domain/exports/manifest.ts';
import type { PartnerRegistry } from '../../../domain/exports/partners.ts';

/** DeliverExports' logic against a mocked exports bucket and fake transports: what is sent where, and every way it fails. */
const s3 = mockClient(S3Client);
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOaGl1q1nuqOqxdxhj6qbwO9hOzKnBdNlrZQl5Ih0jQZ';
const RUN = '2026-11-20-0123456789ab';
const PREFIX = 'exports/date=2026-11-20/';

const files: Record<string, Buffer> = {
  'COLLECTIONS/SIMM.csv': Buffer.from('PAYOFFUID,LOANID\r\nabc,1\r\n'),
  'COLLECTIONS/CALL.csv': Buffer.from('payoffuid\r\n'),
  'MARKETING/PIF.csv': Buffer.from('EMAIL\r\nx\r\n'),
};
const deliveries: Record<string, string | null> = { 'COLLECTIONS/SIMM.csv': 'simm', 'COLLECTIONS/CALL.csv': null, 'MARKETING/PIF.csv': 'email_provider' };
const manifest = (overrides: Partial<ExportManifest> = {}): ExportManifest => ({
  load_date: '2026-11-20',
  run_id: RUN,
  attempt: 'exec-1',
  files: Object.entries(files).map(([file, content]) => ({
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
    delivery: deliveries[file]!,
  })),
  ...overrides,
});
const server = { host: 'sftp.example', port: 22, username: 'outbound', trustedHostKey: KEY, remoteDirectory: '/inbound' };
const registry: PartnerRegistry = {
  simm: { ...server },
  email_provider: { ...server, username: 'esp', connectorId: 'c-0123456789abcdef0', checkDirectory: '/exports-bucket/delivery-checks/email_provider/' },
};

function serveBucket(objects: Record<string, Buffer | string>): void {
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const object = objects[input.Key];
    if (object === undefined) throw Object.assign(new Error('no'), { name: 'NoSuchKey' });
    const bytes = Buffer.from(object);
    return { Body: { transformToByteArray: async () => new Uint8Array(bytes) } };
  });
}
const bucketOf = (m: ExportManifest, replaced: Record<string, Buffer> = {}) => ({
  [`${PREFIX}manifest.json`]: JSON.stringify(m),
  ...Object.fromEntries(Object.entries({ ...files, ...replaced }).map(([file, content]) => [`${PREFIX}${file}`, content])),
});

interface Calls {
  sftp: { target: Parameters<NonNullable<DeliverOptions['sftp']>>[0]; names: string[] }[];
  connector: { target: Parameters<NonNullable<DeliverOptions['connector']>>[0]; paths: string[] }[];
}
function options(calls: Calls, overrides: Partial<DeliverOptions> = {}): DeliverOptions {
  return {
    runId: RUN,
    loadDate: '2026-11-20',
    exportsBucket: 'exports-bucket',
    registry,
    deadline: Date.now() + 60_000,
    password: async (name) => `password-of-${name}`,
    sftp: (target, sent) => {
      calls.sftp.push({ target, names: sent.map((file) => file.name) });
      return Promise.resolve(sent.map((file) => ({ remotePath: `${target.remoteDirectory}/${file.name}`, bytes: file.bytes, sha256: file.sha256 })));
    },
    connector: (target, sent) => {
      calls.connector.push({ target, paths: sent.map((file) => file.sourcePath) });
      return Promise.resolve(
        sent.map((file) => ({ remotePath: `${target.remoteDirectory}/${file.sourcePath.split('/').at(-1)}`, bytes: file.bytes, sha256: file.sha256 })),
      );
    },
    ...overrides,
  };
}
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

let calls: Calls;
beforeEach(() => {
  s3.reset();
  calls = { sftp: [], connector: [] };
});
afterAll(() => s3.restore());

describe('deliverExports', () => {
  it('sends each file with a delivery to its partner: directly over SFTP, or through the partner’s connector; the others stay', async () => {
    // Prepare
    serveBucket(bucketOf(manifest()));
    // Act
    const result = await deliverExports(options(calls));
    // Assess
    expect(calls.sftp).toEqual([{ target: { ...server, password: 'password-of-simm' }, names: ['SIMM.csv'] }]);
    expect(calls.connector).toEqual([
      {
        target: { connectorId: 'c-0123456789abcdef0', remoteDirectory: '/inbound', checkDirectory: `/exports-bucket/delivery-checks/email_provider/${RUN}/` },
        paths: ['/exports-bucket/exports/date=2026-11-20/MARKETING/PIF.csv'],
      },
    ]);
    expect(result).toEqual({
      nothingToDeliver: null,
      delivered: [
        {
          partner: 'simm',
          file: 'COLLECTIONS/SIMM.csv',
          remotePath: '/inbound/SIMM.csv',
          bytes: files['COLLECTIONS/SIMM.csv']!.byteLength,
          sha256: sha256Hex(files['COLLECTIONS/SIMM.csv']!),
          via: 'sftp',
        },
        {
          partner: 'email_provider',
          file: 'MARKETING/PIF.csv',
          remotePath: '/inbound/PIF.csv',
          bytes: files['MARKETING/PIF.csv']!.byteLength,
          sha256: sha256Hex(files['MARKETING/PIF.csv']!),
          via: 'connector',
        },
      ],
    });
  });

  it('does nothing, and says so, when no file of the manifest has a delivery', async () => {
    // Prepare: no delivery anywhere, and no partner registry at all
    const plain = manifest();
    for (const entry of plain.files) entry.delivery = null;
    serveBucket(bucketOf(plain));
    // Act
    const result = await deliverExports(options(calls, { registry: {} }));
    // Assess
    expect(result).toEqual({ delivered: [], nothingToDeliver: NOTHING_TO_DELIVER });
    expect(calls).toEqual({ sftp: [], connector: [] });
  });

  it('fails before sending anything when a delivery names a partner the registry does not know', async () => {
    serveBucket(bucketOf(manifest()));
    const failure = await failureOf(deliverExports(options(calls, { registry: { simm: registry.simm! } })));
    expect(failure?.message).toBe('cannot deliver the exports: partner email_provider (MARKETING/PIF.csv) is not in the partner registry (simm)');
    expect(calls).toEqual({ sftp: [], connector: [] });
  });

  it('refuses the exports of another run', async () => {
    serveBucket(bucketOf(manifest({ run_id: '2026-11-20-ffffffffffff' })));
    const failure = await failureOf(deliverExports(options(calls)));
    expect(failure?.message).toBe(`the exports of 2026-11-20 are from run 2026-11-20-ffffffffffff, not from run ${RUN}`);
  });

  it('sends nothing to a partner whose file no longer matches the manifest, delivers the others, then fails naming partner and file', async () => {
    // Prepare: the SIMM file replaced after the manifest was written
    serveBucket(bucketOf(manifest(), { 'COLLECTIONS/SIMM.csv': Buffer.from('PAYOFFUID,LOANID\r\nabd,1\r\n') }));
    // Act
    const failure = await failureOf(deliverExports(options(calls)));
    // Assess
    expect(failure?.message).toMatch(
      /^partner delivery failed for 1 of 2 partners: partner simm \(COLLECTIONS\/SIMM\.csv\): COLLECTIONS\/SIMM\.csv: does not match the manifest \(sha256 [0-9a-f]{64}, \d+ bytes; manifest: [0-9a-f]{64}, \d+ bytes\)$/,
    );
    expect(failure?.message).not.toContain('abd');
    expect(calls.sftp).toEqual([]);
    expect(calls.connector).toHaveLength(1);
  });

  it('fails naming the partner and its files when the transport fails, never the password', async () => {
    serveBucket(bucketOf(manifest()));
    const failure = await failureOf(
      deliverExports(
        options(calls, {
          sftp: async (target) => Promise.reject(new Error(`sftp://${target.host}:${target.port}: cannot connect as ${target.username}: refused`)),
        }),
      ),
    );
    expect(failure?.message).toBe(
      'partner delivery failed for 1 of 2 partners: partner simm (COLLECTIONS/SIMM.csv): sftp://sftp.example:22: cannot connect as outbound: refused',
    );
    expect(failure?.message).not.toContain('password-of');
  });

  it('fails when the manifest is missing', async () => {
    serveBucket({});
    const failure = await failureOf(deliverExports(options(calls)));
    expect(failure?.message).toBe(`s3://exports-bucket/${PREFIX}manifest.json: no such object`);
  });
});
