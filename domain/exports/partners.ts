import { posix } from 'node:path';
import { z } from 'zod';
import type { ExportManifestFile } from './manifest.ts';

/**
 * The partner registry (docs/exports.md "Partner delivery"): where each partner named by a list's
 * `export.delivery` receives its files. One JSON object in OUTBOUND_PARTNERS, keyed by the snake_case partner
 * name; set by the CDK stack in AWS (one Transfer Family SFTP connector per partner) and by the local runtime
 * (one embedded SFTP server per partner). Never a password: in AWS the connector's secret holds it (or, for a
 * direct connection, the secret named by `secretArn`), locally the embedded server hands it over in-process.
 */
export const PARTNER_NAME = /^[a-z][a-z0-9_]*$/;

/** An OpenSSH public key line: `<type> <base64 key>` and an optional comment, as Transfer Family's TrustedHostKeys takes it. */
const OPENSSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( \S.*)?$/;

/** A partner's SFTP server as the deployment settings give it (lib/settings.ts `outbound:partners`). */
export const partnerServerSchema = z.strictObject({
  host: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9.-]+$/, 'expected a host name or IPv4 address'),
  port: z.number().int().min(1).max(65_535).default(22),
  username: z.string().min(1),
  /** The server's pinned public host key: any other key fails the delivery before anything is sent. */
  trustedHostKey: z.string().regex(OPENSSH_PUBLIC_KEY, 'expected an OpenSSH public key line (ssh-ed25519 AAAA…)'),
  /** Absolute directory on the partner's server the files are written to. */
  remoteDirectory: z.string().regex(/^\/[^\0]*$/, 'expected an absolute path (/inbound)'),
});

/** A partner of the registry: its server, and how the step reaches it. */
export const partnerSchema = partnerServerSchema
  .extend({
    /** Secrets Manager secret `{"Username": …, "Password": …}` (Transfer Family's connector format) for a direct connection. */
    secretArn: z.string().min(1).optional(),
    /** A Transfer Family SFTP connector (AWS): delivery goes through it; without it the step connects directly (locally). */
    connectorId: z.string().min(1).optional(),
    /** With `connectorId`: `/bucket/prefix/` the connector retrieves the delivered files back to (reconciliation). */
    checkDirectory: z
      .string()
      .regex(/^\/[^/]+\/(.*\/)?$/, 'expected /bucket/prefix/')
      .optional(),
  })
  .refine((partner) => partner.connectorId === undefined || partner.checkDirectory !== undefined, {
    message: 'a partner with a connectorId needs a checkDirectory (/bucket/prefix/) for the delivery reconciliation',
    path: ['checkDirectory'],
  });

export const partnerRegistrySchema = z.record(z.string(), partnerSchema).superRefine((registry, context) => {
  for (const name of Object.keys(registry)) {
    if (!PARTNER_NAME.test(name)) context.addIssue({ code: 'custom', message: 'partner names are snake_case (simm, email_provider)', path: [name] });
  }
});

export type PartnerServer = z.infer<typeof partnerServerSchema>;
export type Partner = z.infer<typeof partnerSchema>;
export type PartnerRegistry = z.infer<typeof partnerRegistrySchema>;

/** The registry from the variable's text; unset or empty is an empty registry. Errors name the variable and each problem, never a value. */
export function parsePartnerRegistry(text: string | undefined, variable: string): PartnerRegistry {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${variable}: not valid JSON (expected {"<partner>": {"host", "port", "username", "trustedHostKey", "remoteDirectory"}})`);
  }
  const parsed = partnerRegistrySchema.safeParse(value);
  if (!parsed.success) throw new Error(`${variable}: not a partner registry: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A file to deliver: its manifest entry and the name it gets in the partner's directory. */
export interface PlannedDelivery {
  partner: string;
  entry: ExportManifestFile;
  /** The file's own name (the basename of `entry.file`): a Transfer Family connector writes S3 objects under their basename. */
  remoteName: string;
}

/**
 * The manifest's files with a delivery, grouped by partner in manifest order. Fails, before anything is sent, on a
 * partner the registry does not know, and on two files of one partner with the same name (they would overwrite
 * each other in its directory); each message names the partner and the files.
 */
export function planDeliveries(files: readonly ExportManifestFile[], registry: PartnerRegistry): Map<string, PlannedDelivery[]> {
  const plan = new Map<string, PlannedDelivery[]>();
  for (const entry of files) {
    if (entry.delivery === null) continue;
    const planned = plan.get(entry.delivery) ?? [];
    planned.push({ partner: entry.delivery, entry, remoteName: posix.basename(entry.file) });
    plan.set(entry.delivery, planned);
  }
  const problems: string[] = [];
  for (const [partner, deliveries] of plan) {
    if (!Object.hasOwn(registry, partner)) {
      problems.push(
        `partner ${partner} (${deliveries.map((delivery) => delivery.entry.file).join(', ')}) is not in the partner registry (${Object.keys(registry).sort().join(', ') || 'empty'})`,
      );
      continue;
    }
    const byName = new Map<string, string[]>();
    for (const delivery of deliveries) byName.set(delivery.remoteName, [...(byName.get(delivery.remoteName) ?? []), delivery.entry.file]);
    for (const [name, sources] of byName)
      if (sources.length > 1) problems.push(`partner ${partner}: ${sources.join(' and ')} would both be delivered as ${name}`);
  }
  if (problems.length > 0) throw new Error(`cannot deliver the exports: ${problems.join('; ')}`);
  return plan;
}
