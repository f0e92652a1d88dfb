import { timingSafeEqual } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join, posix, relative, resolve } from 'node:path';
import ssh2, { type Attributes, type Connection, type SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/**
 * An embedded SFTP server for local partner deliveries and their tests (docs/exports.md "Partner delivery"):
 * the SSH transport and the SFTP protocol are ssh2's; this file maps the SFTP requests a delivery makes (open,
 * read, write, close, stat, realpath, rename, remove, mkdir, opendir, readdir) onto a directory, refusing any
 * path outside it. One user, by password; the host key is generated per start (or given) and announced, so the
 * client can pin it as it pins the partner's.
 */
export interface SftpServerOptions {
  /** The directory served as `/`. */
  root: string;
  username: string;
  password: string;
  /** OpenSSH private host key; default: a new ed25519 key. */
  hostKey?: string;
  /** Loopback port (default 0: any free port). */
  port?: number;
}

export interface LocalSftpServer {
  host: string;
  port: number;
  /** The host's public key, OpenSSH line (`ssh-ed25519 AAAA…`): what a client pins. */
  hostPublicKey: string;
  /** Test hook: the next file written loses its last `bytes` bytes (a transfer cut short). */
  truncateNextUpload(bytes: number): void;
  close(): Promise<void>;
}

interface OpenFile {
  file: FileHandle;
  path: string;
  writing: boolean;
}

export async function startSftpServer(options: SftpServerOptions): Promise<LocalSftpServer> {
  const root = resolve(options.root);
  await mkdir(root, { recursive: true });
  const hostKey = options.hostKey ?? generatedHostKey();
  const parsed = utils.parseKey(hostKey);
  if (parsed instanceof Error) throw new Error(`SFTP host key: ${parsed.message}`);
  const hostPublicKey = `${parsed.type} ${parsed.getPublicSSH().toString('base64')}`;
  let truncateBytes = 0;
  const clients = new Set<Connection>();

  const same = (given: string, expected: string) => {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  /** The served path as a local path under root; undefined when it escapes root. */
  const local = (path: string): string | undefined => {
    const target = resolve(root, `.${posix.resolve('/', path)}`);
    return relative(root, target).startsWith('..') ? undefined : target;
  };

  const serve = (sftp: SFTPWrapper) => {
    const handles = new Map<number, OpenFile>();
    const listings = new Map<number, string[] | null>();
    let nextHandle = 0;
    const handleOf = (buffer: Buffer) => (buffer.length === 4 ? buffer.readUInt32BE(0) : -1);
    const newHandle = () => {
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32BE(nextHandle);
      return { id: nextHandle++, buffer };
    };
    const attrsOf = async (path: string): Promise<Attributes> => {
      const info = await stat(path);
      return { mode: info.mode, uid: 0, gid: 0, size: info.size, atime: Math.floor(info.atimeMs / 1000), mtime: Math.floor(info.mtimeMs / 1000) };
    };
    const fail = (reqid: number, error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      sftp.status(reqid, code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE);
    };
    const guarded = (reqid: number, path: string, work: (target: string) => Promise<void>) => {
      const target = local(path);
      if (!target) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      work(target).catch((error) => fail(reqid, error));
    };

    sftp.on('REALPATH', (reqid, path) => {
      const normal = posix.resolve('/', path);
      sftp.name(reqid, [{ filename: normal, longname: normal, attrs: {} as Attributes }]);
    });
    sftp.on('OPEN', (reqid, path, flags) =>
      guarded(reqid, path, async (target) => {
        const writing = (flags & OPEN_MODE.WRITE) !== 0;
        const mode = writing ? ((flags & OPEN_MODE.TRUNC) !== 0 || (flags & OPEN_MODE.CREAT) !== 0 ? 'w' : 'r+') : 'r';
        const file = await open(target, mode);
        const { id, buffer } = newHandle();
        handles.set(id, { file, path: target, writing });
        sftp.handle(reqid, buffer);
      }),
    );
    sftp.on('WRITE', (reqid, handle, offset, data) => {
      const open = handles.get(handleOf(handle));
      if (!open?.writing) return sftp.status(reqid, STATUS_CODE.FAILURE);
      open.file.write(data, 0, data.length, offset).then(
        () => sftp.status(reqid, STATUS_CODE.OK),
        (error) => fail(reqid, error),
      );
    });
    sftp.on('READ', (reqid, handle, offset, length) => {
      const open = handles.get(handleOf(handle));
      if (!open) return sftp.status(reqid, STATUS_CODE.FAILURE);
      const buffer = Buffer.alloc(length);
      open.file.read(buffer, 0, length, offset).then(
        ({ bytesRead }) => (bytesRead === 0 ? sftp.status(reqid, STATUS_CODE.EOF) : sftp.data(reqid, buffer.subarray(0, bytesRead))),
        (error) => fail(reqid, error),
      );
    });
    sftp.on('CLOSE', (reqid, handle) => {
      const id = handleOf(handle);
      if (listings.delete(id)) return sftp.status(reqid, STATUS_CODE.OK);
      const open = handles.get(id);
      if (!open) return sftp.status(reqid, STATUS_CODE.FAILURE);
      handles.delete(id);
      const cut = open.writing ? truncateBytes : 0;
      if (cut > 0) truncateBytes = 0;
      (async () => {
        if (cut > 0) await open.file.truncate(Math.max(0, (await open.file.stat()).size - cut));
        await open.file.close();
      })().then(
        () => sftp.status(reqid, STATUS_CODE.OK),
        (error) => fail(reqid, error),
      );
    });
    const statRequest = (reqid: number, path: string) => guarded(reqid, path, async (target) => void sftp.attrs(reqid, await attrsOf(target)));
    sftp.on('STAT', statRequest);
    sftp.on('LSTAT', statRequest);
    sftp.on('FSTAT', (reqid, handle) => {
      const open = handles.get(handleOf(handle));
      if (!open) return sftp.status(reqid, STATUS_CODE.FAILURE);
      attrsOf(open.path).then(
        (attrs) => sftp.attrs(reqid, attrs),
        (error) => fail(reqid, error),
      );
    });
    const ok = (reqid: number) => () => sftp.status(reqid, STATUS_CODE.OK);
    sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
    sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
    sftp.on('MKDIR', (reqid, path) => guarded(reqid, path, (target) => mkdir(target).then(ok(reqid))));
    sftp.on('REMOVE', (reqid, path) => guarded(reqid, path, (target) => rm(target).then(ok(reqid))));
    sftp.on('RMDIR', (reqid, path) => guarded(reqid, path, (target) => rm(target, { recursive: false }).then(ok(reqid))));
    sftp.on('RENAME', (reqid, from, to) => {
      const source = local(from);
      const target = local(to);
      if (!source || !target) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      // SFTP v3: renaming onto an existing file fails.
      stat(target).then(
        () => sftp.status(reqid, STATUS_CODE.FAILURE),
        () =>
          mkdir(dirname(target), { recursive: true })
            .then(() => rename(source, target))
            .then(ok(reqid), (error) => fail(reqid, error)),
      );
    });
    sftp.on('OPENDIR', (reqid, path) =>
      guarded(reqid, path, async (target) => {
        const names = (await readdir(target)).sort();
        const { id, buffer } = newHandle();
        listings.set(
          id,
          names.map((name) => join(target, name)),
        );
        sftp.handle(reqid, buffer);
      }),
    );
    sftp.on('READDIR', (reqid, handle) => {
      const id = handleOf(handle);
      const entries = listings.get(id);
      if (entries === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
      if (entries === null) return sftp.status(reqid, STATUS_CODE.EOF);
      listings.set(id, null);
      Promise.all(
        entries.map(async (path) => ({
          filename: path.slice(path.lastIndexOf('/') + 1),
          longname: path.slice(path.lastIndexOf('/') + 1),
          attrs: await attrsOf(path),
        })),
      ).then(
        (names) => sftp.name(reqid, names),
        (error) => fail(reqid, error),
      );
    });
  };

  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => clients.delete(client));
    client.on('authentication', (context) => {
      if (context.method === 'password' && same(context.username, options.username) && same(context.password, options.password)) context.accept();
      else context.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => serve(acceptSftp()));
      });
    });
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, '127.0.0.1', () => listening());
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    hostPublicKey,
    truncateNextUpload: (bytes) => {
      truncateBytes = bytes;
    },
    close: () =>
      new Promise<void>((closed) => {
        for (const client of clients) client.end();
        server.close(() => closed());
      }),
  };
}

/**
 * A new ed25519 host key, OpenSSH form. ssh2's generator writes, about once in 250 keys, one its own parser refuses
 * ("Malformed OpenSSH private key"); such a key is generated again.
 */
function generatedHostKey(): string {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error('SFTP host key: could not generate an ed25519 key ssh2 can read');
}
