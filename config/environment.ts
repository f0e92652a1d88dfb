/**
 * Environment variables through which the CDK stack (cloud) and the local runtime configure the
 * same handlers. One name for one thing: handlers read these, `lib/` and `local/` set them.
 */
export const envNames = {
  rawBucket: 'OUTBOUND_RAW_BUCKET',
  lakeBucket: 'OUTBOUND_LAKE_BUCKET',
  exportsBucket: 'OUTBOUND_EXPORTS_BUCKET',
  consentTable: 'OUTBOUND_CONSENT_TABLE',
  /** The dial-gate table (can-call windows, budgets, attempts counted from events). */
  dialGateTable: 'OUTBOUND_DIAL_GATE_TABLE',
  /** `athena` (cloud, default) or `duckdb` (local). */
  sqlEngine: 'OUTBOUND_SQL_ENGINE',
  athenaWorkgroup: 'OUTBOUND_ATHENA_WORKGROUP',
  glueDatabase: 'OUTBOUND_GLUE_DATABASE',
  /** Where the `.sql` files are when the code is bundled (Lambda: copied next to it); unset = the repository's `sql/`. */
  sqlDirectory: 'OUTBOUND_SQL_DIR',
  /** Local only (`outbound run --config`): the campaign configuration file; unset = `campaigns.yaml` of the config directory. */
  campaignConfig: 'OUTBOUND_CAMPAIGN_CONFIG',
  /** Where `config/` is when the code is bundled (compliance rule table, reference data); unset = the repository's. */
  configDirectory: 'OUTBOUND_CONFIG_DIR',
  /** Local only: the home directory (lake files, state) and the raw data directory. */
  localHome: 'OUTBOUND_HOME',
  localData: 'OUTBOUND_DATA',
  /** Local only: the file the handlers' metrics (EMF lines) are appended to instead of stdout (docs/observability.md). */
  localMetricsFile: 'OUTBOUND_METRICS_FILE',
  /**
   * PrepareRun refuses a run whose newest NON-FIN-BDL snapshot is older than this many days (SPEC §3.1;
   * default 1, daily snapshots; the client's monthly history needs about 35).
   */
  maxSnapshotAgeDays: 'OUTBOUND_MAX_SNAPSHOT_AGE_DAYS',
  /** Local only: DuckDB's memory_limit (default 1GB); a full load of ~1 GB of consent feeds needs more. */
  duckdbMemoryLimit: 'OUTBOUND_DUCKDB_MEMORY_LIMIT',
  /**
   * Genesys Cloud push of the exports (optional, off when unset): the region domain (`usw2.pure.cloud`)
   * or the origin of a stand-in; and the Secrets Manager secret `{"client_id","client_secret"}`.
   */
  genesysEnvironment: 'OUTBOUND_GENESYS_ENVIRONMENT',
  genesysSecretName: 'OUTBOUND_GENESYS_SECRET_NAME',
  /** Local only (the CLI and the local runtime; never set in the cloud): the Genesys OAuth client itself, instead of the secret. */
  genesysClientId: 'OUTBOUND_GENESYS_CLIENT_ID',
  genesysClientSecret: 'OUTBOUND_GENESYS_CLIENT_SECRET',
  /**
   * DeliverExports: the partner registry, JSON `{"<partner>": {host, port, username, trustedHostKey, remoteDirectory,
   * secretArn?, connectorId?, checkDirectory?}}` (domain/exports/partners.ts, docs/exports.md "Partner delivery");
   * unset = no partner. Never a password: the connector's secret (AWS) or the embedded server (local) holds it.
   */
  partners: 'OUTBOUND_PARTNERS',
  /** Report: a list's assigned volume further than this percentage from its trailing 7-day mean is an anomaly (metric ListVolumeAnomalies). */
  listVolumeDeviationPercent: 'OUTBOUND_LIST_VOLUME_DEVIATION_PERCENT',
} as const;

export type EnvName = (typeof envNames)[keyof typeof envNames];

/** Reads a required variable, failing with a message that names it. */
export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
