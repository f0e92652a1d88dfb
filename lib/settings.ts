import type { Node } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

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
}

export const contextKeys = {
  apiRateLimit: 'outbound:apiRateLimit',
  apiBurstLimit: 'outbound:apiBurstLimit',
  jwtIssuer: 'outbound:jwtIssuer',
  jwtAudience: 'outbound:jwtAudience',
  logRetentionDays: 'outbound:logRetentionDays',
  athenaBytesScannedCutoffGb: 'outbound:athenaBytesScannedCutoffGb',
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
  return {
    apiRateLimit: positiveNumber(node, contextKeys.apiRateLimit),
    apiBurstLimit: positiveNumber(node, contextKeys.apiBurstLimit),
    jwt: issuer && audience ? { issuer, audience: audience.split(',').map((value) => value.trim()) } : undefined,
    logRetention: retentionDays as RetentionDays,
    athenaBytesScannedCutoff: positiveNumber(node, contextKeys.athenaBytesScannedCutoffGb) * gigabyte,
  };
}

/** Context values arrive as JSON numbers from cdk.json and as strings from `-c key=value`. */
function positiveNumber(node: Node, key: string): number {
  const raw: unknown = node.tryGetContext(key);
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`context ${key} must be a positive number (set in cdk.json or with -c ${key}=…), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function optionalString(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(raw)}`);
  return raw;
}
