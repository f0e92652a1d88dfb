import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { forgetLocalPartnerPassword, registerLocalPartnerPassword } from '../../adapters/partner-credentials.ts';
import { readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import type { PartnerRegistry } from '../../domain/exports/partners.ts';
import { startSftpServer, type LocalSftpServer } from './sftp-server.ts';

/**
 * The local partners (docs/exports.md "Partner delivery"): one embedded SFTP server per partner a run delivers to,
 * serving `<home>/partners/<partner>/` as `/`, with a host key generated at start (the registry pins it) and a
 * password generated at start, handed to DeliverExports in-process (never through the environment).
 */
export interface LocalPartners {
  registry: PartnerRegistry;
  servers: Record<string, LocalSftpServer>;
  stop(): Promise<void>;
}

export function localPartnerDirectory(home: string, partner: string): string {
  return join(home, 'partners', partner);
}

export async function startLocalPartners(home: string, names: readonly string[]): Promise<LocalPartners> {
  const registry: PartnerRegistry = {};
  const servers: Record<string, LocalSftpServer> = {};
  const stop = async () => {
    for (const [name, server] of Object.entries(servers)) {
      forgetLocalPartnerPassword(name);
      await server.close();
    }
  };
  try {
    for (const name of new Set(names)) {
      const password = randomBytes(24).toString('base64url');
      const server = await startSftpServer({ root: localPartnerDirectory(home, name), username: name, password });
      servers[name] = server;
      registerLocalPartnerPassword(name, password);
      registry[name] = { host: server.host, port: server.port, username: name, trustedHostKey: server.hostPublicKey, remoteDirectory: '/' };
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { registry, servers, stop };
}

/** The partners the run's campaign configuration delivers to (its lists' `export.delivery`); none when it cannot be read (PrepareRun then says why). */
export async function configuredPartners(): Promise<string[]> {
  try {
    const loaded = await readCampaignConfigFile();
    if (!loaded.ok) return [];
    const names = loaded.config.sets.flatMap((set) => set.lists.flatMap((list) => (list.export?.delivery ? [list.export.delivery] : [])));
    return [...new Set(names)].sort();
  } catch {
    return [];
  }
}
