import type { Node } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { PARTNER_NAME, partnerServerSchema, type PartnerServer } from '../domain/exports/partners.ts';

/**
 * Deployment settings read from CDK context. Their defaults live in `cdk.json` (one place);
 * override them with `npx cdk synth -c outbound:apiRateLimit=1000`.
 */
export interface OutboundSettings {
  /** Steady-state requests per second of the HTTP API's default stage. */
  apiRateLimit: number;
  /** Burst of the HTTP API's default stage. */
  apiBurstLimit: number;
  /** Optional JWT authorizer for the HTTP API; without both values the API uses IAM (SigV4) authorization. */
  jwt?: { issuer: string; audience: string[] };
  /** Retention of every log group of the stack. */
  logRetention: RetentionDays;
  /** Athena queries scanning more than this are cancelled (cost guard). */
  athenaBytesScannedCutoff: number;
  /** The 06:00 run schedule and the 08:00 deadline check: ENABLED (true) or DISABLED (false). */
  scheduleEnabled: boolean;
  /** Optional email address subscribed to the alert topic (confirmation mail on first deploy). */
  alertEmail?: string;
  /** Optional HTTPS endpoint subscribed to the alert topic: a pager's SNS webhook (PagerDuty, Opsgenie …). */
  alertWebhookUrl?: string;
  /** API alarm: percentage of requests answered 5xx over 5 minutes, 3 periods in a row. */
  api5xxRatePercent: number;
  /** API alarm: p99 latency in milliseconds over 5 minutes, 3 periods in a row. */
  apiLatencyP99Ms: number;
  /** A list's assigned volume further than this percentage from its trailing 7-day mean counts as an anomaly (Report). */
  listVolumeDeviationPercent: number;
  /** Stale-loan-tape alarm: days between the newest loan tape and the load date above which it pages. */
  loanTapeMaxAgeDays: number;
  /** PrepareRun refuses a run whose newest NON-FIN-BDL consent snapshot is older than this many days (SPEC §3.1). */
  maxSnapshotAgeDays: number;
  /**
   * Genesys Cloud (optional, both or neither): the org's region domain and the Secrets Manager secret of its OAuth
   * client. Unset: the push and the results loop are no-ops and the results schedules are off.
   */
  genesys?: { environment: string; secretName: string };
  /**
   * SFTP partners the daily run delivers exports to (docs/exports.md "Partner delivery"), by snake_case name: each
   * gets a Transfer Family SFTP connector, its secret and its access role. None: no connector, an empty registry.
   */
  partners: Record<string, PartnerServer>;
}

export const contextKeys = {
  apiRateLimit: 'outbound:apiRateLimit',
  apiBurstLimit: 'outbound:apiBurstLimit',
  jwtIssuer: 'outbound:jwtIssuer',
  jwtAudience: 'outbound:jwtAudience',
  logRetentionDays: 'outbound:logRetentionDays',
  athenaBytesScannedCutoffGb: 'outbound:athenaBytesScannedCutoffGb',
  scheduleEnabled: 'outbound:scheduleEnabled',
  alertEmail: 'outbound:alertEmail',
  alertWebhookUrl: 'outbound:alertWebhookUrl',
  api5xxRatePercent: 'outbound:api5xxRatePercent',
  apiLatencyP99Ms: 'outbound:apiLatencyP99Ms',
  listVolumeDeviationPercent: 'outbound:listVolumeDeviationPercent',
  loanTapeMaxAgeDays: 'outbound:loanTapeMaxAgeDays',
  maxSnapshotAgeDays: 'outbound:maxSnapshotAgeDays',
  genesysEnvironment: 'outbound:genesysEnvironment',
  genesysSecretName: 'outbound:genesysSecretName',
  partners: 'outbound:partners',
} as const;

const gigabyte = 1024 ** 3;

export function readSettings(node: Node): OutboundSettings {
  const retentionDays = positiveNumber(node, contextKeys.logRetentionDays);
  if (!(Object.values(RetentionDays) as number[]).includes(retentionDays)) {
    throw new Error(`context ${contextKeys.logRetentionDays}=${retentionDays} is not a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, … days)`);
  }
  const issuer = optionalString(node, contextKeys.jwtIssuer);
  const audience = optionalString(node, contextKeys.jwtAudience);
  if (Boolean(issuer) !== Boolean(audience)) {
    throw new Error(`context ${contextKeys.jwtIssuer} and ${contextKeys.jwtAudience} must be set together (or neither, for IAM authorization)`);
  }
  const genesysEnvironment = matching(
    node,
    contextKeys.genesysEnvironment,
    /^[a-z0-9-]+(\.[a-z0-9-]+)+$/,
    'a Genesys Cloud region domain, e.g. usw2.pure.cloud',
  );
  const genesysSecretName = optionalString(node, contextKeys.genesysSecretName);
  if (Boolean(genesysEnvironment) !== Boolean(genesysSecretName)) {
    throw new Error(`context ${contextKeys.genesysEnvironment} and ${contextKeys.genesysSecretName} must be set together (or neither: Genesys off)`);
  }
  return {
    apiRateLimit: positiveNumber(node, contextKeys.apiRateLimit),
    apiBurstLimit: positiveNumber(node, contextKeys.apiBurstLimit),
    jwt: issuer && audience ? { issuer, audience: audience.split(',').map((value) => value.trim()) } : undefined,
    logRetention: retentionDays as RetentionDays,
    athenaBytesScannedCutoff: positiveNumber(node, contextKeys.athenaBytesScannedCutoffGb) * gigabyte,
    scheduleEnabled: booleanValue(node, contextKeys.scheduleEnabled),
    alertEmail: matching(node, contextKeys.alertEmail, /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'an email address'),
    alertWebhookUrl: matching(node, contextKeys.alertWebhookUrl, /^https:\/\/[^\s/]+(\/\S*)?$/, 'an https:// URL'),
    api5xxRatePercent: percentage(node, contextKeys.api5xxRatePercent),
    apiLatencyP99Ms: positiveNumber(node, contextKeys.apiLatencyP99Ms),
    listVolumeDeviationPercent: percentage(node, contextKeys.listVolumeDeviationPercent),
    loanTapeMaxAgeDays: nonNegativeInteger(node, contextKeys.loanTapeMaxAgeDays),
    maxSnapshotAgeDays: nonNegativeInteger(node, contextKeys.maxSnapshotAgeDays),
    genesys: genesysEnvironment && genesysSecretName ? { environment: genesysEnvironment, secretName: genesysSecretName } : undefined,
    partners: partnerSettings(node, contextKeys.partners),
  };
}

/**
 * `{"simm": {"host", "port", "username", "trustedHostKey", "remoteDirectory"}}`: a JSON object in cdk.json, or its
 * text with `-c outbound:partners='{…}'`; empty = none. Never a password (the partner's secret is set after deploy).
 */
function partnerSettings(node: Node, key: string): Record<string, PartnerServer> {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(
        `context ${key} must be a JSON object of partners ({"simm": {"host", "port", "username", "trustedHostKey", "remoteDirectory"}}), got text that is not JSON`,
      );
    }
  }
  const schema = z.record(z.string(), partnerServerSchema).superRefine((partners, context) => {
    for (const name of Object.keys(partners))
      if (!PARTNER_NAME.test(name)) context.addIssue({ code: 'custom', message: 'partner names are snake_case (simm, email_provider)', path: [name] });
  });
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`context ${key} is not a set of partners: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Context values arrive as JSON numbers from cdk.json and as strings from `-c key=value`. */
function numberValue(node: Node, key: string, what: string, valid: (value: number) => boolean): number {
  const raw: unknown = node.tryGetContext(key);
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new Error(`context ${key} must be ${what} (set in cdk.json or with -c ${key}=…), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function positiveNumber(node: Node, key: string): number {
  return numberValue(node, key, 'a positive number', (value) => value > 0);
}

function percentage(node: Node, key: string): number {
  return numberValue(node, key, 'a percentage above 0 and at most 100', (value) => value > 0 && value <= 100);
}

function nonNegativeInteger(node: Node, key: string): number {
  return numberValue(node, key, 'a whole number of 0 or more', (value) => Number.isInteger(value) && value >= 0);
}

/** JSON true/false from cdk.json, the strings "true"/"false" from `-c key=value`. */
function booleanValue(node: Node, key: string): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`context ${key} must be true or false (set in cdk.json or with -c ${key}=…), got ${JSON.stringify(raw)}`);
}

function matching(node: Node, key: string, pattern: RegExp, what: string): string | undefined {
  const value = optionalString(node, key);
  if (value !== undefined && !pattern.test(value)) throw new Error(`context ${key} must be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

function optionalString(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(raw)}`);
  return raw;
}
