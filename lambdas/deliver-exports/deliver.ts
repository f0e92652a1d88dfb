import { readExportManifest, readObject } from '../../adapters/export-files.ts';
import { partnerPassword } from '../../adapters/partner-credentials.ts';
import { deliverOverSftp } from '../../adapters/sftp-delivery.ts';
import { deliverThroughConnector } from '../../adapters/transfer-connector.ts';
import { exportsPrefix } from '../../domain/exports/layout.ts';
import { verifyExportFile } from '../../domain/exports/manifest.ts';
import { planDeliveries, type Partner, type PartnerRegistry, type PlannedDelivery } from '../../domain/exports/partners.ts';
import type { DeliverExportsOutput } from '../../domain/run/step-outputs.ts';

export interface DeliverOptions {
  runId: string;
  loadDate: string;
  exportsBucket: string;
  registry: PartnerRegistry;
  /** Epoch ms by which every delivery must have ended (the Lambda's time budget). */
  deadline: number;
  /** The transports and the credentials, replaceable in tests. */
  sftp?: typeof deliverOverSftp;
  connector?: typeof deliverThroughConnector;
  password?: (name: string, partner: Partner) => Promise<string>;
}

type Delivered = DeliverExportsOutput['delivered'][number];

export const NOTHING_TO_DELIVER = 'no file of the manifest has a delivery';

/**
 * Step `DeliverExports` (docs/exports.md "Partner delivery"): every file of the day's manifest with a `delivery`
 * goes to that partner of the registry — through its Transfer Family connector when it has one (AWS), else
 * directly over SFTP with the pinned host key (locally, the embedded server) — and is reconciled on the partner's
 * side. Before anything is sent: the manifest must be this run's, every partner must be in the registry, and each
 * file is read from the exports bucket and checked against the manifest (size, sha256). A partner whose delivery
 * fails does not stop the others; the step then fails naming each partner and file (never a row, a credential or
 * the file's contents).
 */
export async function deliverExports(options: DeliverOptions): Promise<DeliverExportsOutput> {
  const { exportsBucket, loadDate, registry } = options;
  const manifest = await readExportManifest(exportsBucket, loadDate);
  if (manifest.run_id !== options.runId) throw new Error(`the exports of ${loadDate} are from run ${manifest.run_id}, not from run ${options.runId}`);
  const plan = planDeliveries(manifest.files, registry);
  if (plan.size === 0) return { delivered: [], nothingToDeliver: NOTHING_TO_DELIVER };

  const delivered: Delivered[] = [];
  const failures: string[] = [];
  for (const [name, deliveries] of plan) {
    const partner = registry[name]!;
    try {
      delivered.push(...(await deliverToPartner(name, partner, deliveries, options)));
    } catch (error) {
      failures.push(`partner ${name} (${deliveries.map((delivery) => delivery.entry.file).join(', ')}): ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`partner delivery failed for ${failures.length} of ${plan.size} partners: ${failures.join(' | ')}`);
  return { delivered, nothingToDeliver: null };
}

async function deliverToPartner(name: string, partner: Partner, deliveries: readonly PlannedDelivery[], options: DeliverOptions): Promise<Delivered[]> {
  const prefix = exportsPrefix(options.loadDate);
  // The file as the manifest describes it, or nothing is sent to this partner.
  const files = [];
  for (const delivery of deliveries) {
    const content = await readObject(options.exportsBucket, `${prefix}${delivery.entry.file}`);
    verifyExportFile(delivery.entry, content);
    files.push({ delivery, content });
  }
  if (partner.connectorId) {
    const connector = options.connector ?? deliverThroughConnector;
    const sent = await connector(
      { connectorId: partner.connectorId, remoteDirectory: partner.remoteDirectory, checkDirectory: `${partner.checkDirectory!}${options.runId}/` },
      files.map(({ delivery }) => ({
        sourcePath: `/${options.exportsBucket}/${prefix}${delivery.entry.file}`,
        bytes: delivery.entry.bytes,
        sha256: delivery.entry.sha256,
      })),
      { deadline: options.deadline },
    );
    return sent.map((file, index) => ({ partner: name, file: deliveries[index]!.entry.file, ...file, via: 'connector' as const }));
  }
  const password = await (options.password ?? partnerPassword)(name, partner);
  const sftp = options.sftp ?? deliverOverSftp;
  const sent = await sftp(
    {
      host: partner.host,
      port: partner.port,
      username: partner.username,
      password,
      trustedHostKey: partner.trustedHostKey,
      remoteDirectory: partner.remoteDirectory,
    },
    files.map(({ delivery, content }) => ({ name: delivery.remoteName, content, bytes: delivery.entry.bytes, sha256: delivery.entry.sha256 })),
  );
  return sent.map((file, index) => ({ partner: name, file: deliveries[index]!.entry.file, ...file, via: 'sftp' as const }));
}
