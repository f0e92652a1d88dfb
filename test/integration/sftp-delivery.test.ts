import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverOverSftp, type DeliveryFile, type SftpTarget } from '../../adapters/sftp-delivery.ts';
import { sha256Hex } from '../../domain/exports/manifest.ts';
import { startSftpServer, type LocalSftpServer } from '../../local/runtime/sftp-server.ts';

/** Partner delivery over SFTP against the embedded server: pinned host key, atomic placement, reconciliation. */
let root: string;
let server: LocalSftpServer;
let target: SftpTarget;

const file = (name: string, text: string): DeliveryFile => {
  const content = Buffer.from(text);
  return { name, content, bytes: content.byteLength, sha256: sha256Hex(content) };
};
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-sftp-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await rm(join(root, 'served'), { recursive: true, force: true });
  server = await startSftpServer({ root: join(root, 'served'), username: 'simm', password: 'p4ss' });
  target = {
    host: server.host,
    port: server.port,
    username: 'simm',
    password: 'p4ss',
    trustedHostKey: server.hostPublicKey,
    remoteDirectory: '/inbound/2026-11-20',
  };
});
afterEach(async () => {
  await server.close();
});

describe('SFTP partner delivery', () => {
  it('places each file whole under its name, with the manifest size and sha256, and replaces it on a re-delivery', async () => {
    // Prepare
    const first = file('SIMM_DPD3-119.csv', 'PAYOFFUID,LOANID\r\nabc,1\r\n');
    const again = file('SIMM_DPD3-119.csv', 'PAYOFFUID,LOANID\r\nabc,1\r\ndef,2\r\n');
    // Act
    const delivered = await deliverOverSftp(target, [first]);
    const redelivered = await deliverOverSftp(target, [again]);
    // Assess
    expect(delivered).toEqual([{ remotePath: '/inbound/2026-11-20/SIMM_DPD3-119.csv', bytes: first.bytes, sha256: first.sha256 }]);
    expect(redelivered[0]!.sha256).toBe(again.sha256);
    expect(await readFile(join(root, 'served/inbound/2026-11-20/SIMM_DPD3-119.csv'), 'utf8')).toBe(again.content.toString());
    expect(await readdir(join(root, 'served/inbound/2026-11-20'))).toEqual(['SIMM_DPD3-119.csv']);
  });

  it('refuses a server whose host key is not the pinned one, sending nothing', async () => {
    // Prepare: another server's key pinned
    const other = await startSftpServer({ root: join(root, 'other'), username: 'x', password: 'y' });
    await other.close();
    // Act
    const failure = await failureOf(deliverOverSftp({ ...target, trustedHostKey: other.hostPublicKey }, [file('a.csv', 'x')]));
    // Assess
    expect(failure?.message).toMatch(
      /^sftp:\/\/127\.0\.0\.1:\d+: the server's host key \(SHA256:[A-Za-z0-9+/]+\) is not the pinned key \(SHA256:[A-Za-z0-9+/]+\); nothing was sent$/,
    );
    await expect(readdir(join(root, 'served'))).resolves.toEqual([]);
  });

  it('fails a transfer cut short, naming the file and both sizes and checksums', async () => {
    // Prepare
    server.truncateNextUpload(3);
    const cut = file('SIMM_DPD3-119.csv', 'PAYOFFUID,LOANID\r\nabc,1\r\n');
    // Act
    const failure = await failureOf(deliverOverSftp(target, [cut]));
    // Assess
    expect(failure?.message).toMatch(
      new RegExp(
        `/inbound/2026-11-20/SIMM_DPD3-119\\.csv: the delivered file does not match the manifest \\(on the server ${cut.bytes - 3} bytes, sha256 [0-9a-f]{64}; manifest ${cut.bytes} bytes, sha256 ${cut.sha256}\\)$`,
      ),
    );
  });

  it('names the host and the user, never the password, when the login is refused', async () => {
    const failure = await failureOf(deliverOverSftp({ ...target, password: 'wrong-secret' }, [file('a.csv', 'x')]));
    expect(failure?.message).toMatch(/^sftp:\/\/127\.0\.0\.1:\d+: cannot connect as simm: /);
    expect(failure?.message).not.toContain('wrong-secret');
  });

  it('keeps every path inside the served directory: .. above / stays at /, as in a jailed partner server', async () => {
    await deliverOverSftp({ ...target, remoteDirectory: '/../../escape' }, [file('a.csv', 'x')]);
    expect(await readdir(join(root, 'served/escape'))).toEqual(['a.csv']);
    await expect(readdir(join(root, 'escape'))).rejects.toThrow();
  });
});
