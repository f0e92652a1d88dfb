import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import ssh2 from 'ssh2';
import SftpClient from 'ssh2-sftp-client';

/**
 * Delivers files to a partner's SFTP server and reconciles them (docs/exports.md "Partner delivery"): the
 * server must present the pinned host key; each file is written under a dot name and renamed into place (a
 * reader never sees it half written); then the file on the server must have the manifest's size and sha256
 * (read back), or the delivery fails naming the file and both figures.
 */
export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The server's public host key, OpenSSH line (`ssh-ed25519 AAAA…`), as Transfer Family's TrustedHostKeys takes it. */
  trustedHostKey: string;
  /** Absolute directory on the server the files go to. */
  remoteDirectory: string;
}

export interface DeliveryFile {
  name: string;
  content: Uint8Array;
  /** The manifest's size and sha256 of the file. */
  bytes: number;
  sha256: string;
}

export interface DeliveredFile {
  remotePath: string;
  bytes: number;
  sha256: string;
}

export class SftpDeliveryError extends Error {
  override name = 'SftpDeliveryError';
}

const CONNECT_TIMEOUT_MS = 20_000;

export async function deliverOverSftp(target: SftpTarget, files: readonly DeliveryFile[]): Promise<DeliveredFile[]> {
  const where = `sftp://${target.host}:${target.port}`;
  const pinned = pinnedKey(target.trustedHostKey);
  let presented: Buffer | undefined;
  const client = new SftpClient();
  try {
    await client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      readyTimeout: CONNECT_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        presented = key;
        return key.equals(pinned);
      },
    });
  } catch (error) {
    if (presented && !presented.equals(pinned)) {
      throw new SftpDeliveryError(
        `${where}: the server's host key (${fingerprint(presented)}) is not the pinned key (${fingerprint(pinned)}); nothing was sent`,
      );
    }
    throw new SftpDeliveryError(`${where}: cannot connect as ${target.username}: ${(error as Error).message.replace(/^connect: /, '')}`);
  }
  try {
    await client.mkdir(target.remoteDirectory, true);
    const delivered: DeliveredFile[] = [];
    for (const file of files) {
      const remotePath = posix.join(target.remoteDirectory, file.name);
      const partial = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.partial`);
      await client.put(Buffer.from(file.content), partial);
      if (await client.exists(remotePath)) await client.delete(remotePath);
      await client.rename(partial, remotePath);
      const size = (await client.stat(remotePath)).size;
      const sha256 = createHash('sha256')
        .update((await client.get(remotePath)) as Buffer)
        .digest('hex');
      if (size !== file.bytes || sha256 !== file.sha256) {
        throw new SftpDeliveryError(
          `${where}${remotePath}: the delivered file does not match the manifest (on the server ${size} bytes, sha256 ${sha256}; manifest ${file.bytes} bytes, sha256 ${file.sha256})`,
        );
      }
      delivered.push({ remotePath, bytes: size, sha256 });
    }
    return delivered;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The key blob of an OpenSSH public key line; a line that is not one fails before any connection. */
function pinnedKey(line: string): Buffer {
  const parsed = ssh2.utils.parseKey(line);
  if (parsed instanceof Error) throw new SftpDeliveryError(`the pinned host key is not an OpenSSH public key: ${parsed.message}`);
  return parsed.getPublicSSH();
}

/** OpenSSH's fingerprint form: `SHA256:` and the unpadded base64 of the key blob's sha256. */
function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
