/**
 * One definition of the storage names shared by the CDK stack and the local runtime.
 * Cloud bucket names get the account/region suffix from CDK; locally the same logical
 * names are the s3rver buckets and the DynamoDB table names in dynalite.
 */
export const resources = {
  buckets: {
    /** Landing zone of raw feeds (§3). Locally the `--data` directory plays this role. */
    raw: 'outbound-raw',
    /** Lake: layered tables (Parquet) and run artifacts. */
    lake: 'outbound-lake',
    /** Exported lists and their manifests (§7). */
    exports: 'outbound-exports',
  },
  tables: {
    phoneConsent: {
      name: 'outbound-phone-consent',
      partitionKey: 'account_number',
      sortKey: 'phone_number',
    },
    /**
     * The dial gate read by can-call (§9, docs/api.md): per day the windows and call budgets the run loads and the
     * attempts counted from events; items expire through the TTL attribute.
     */
    dialGate: {
      name: 'outbound-dial-gate',
      partitionKey: 'pk',
      ttlAttribute: 'expires_at',
    },
  },
  /** Key prefixes inside the buckets. */
  prefixes: {
    consentFeeds: 'consent/',
    /** `${consentChanges}as_of_date=YYYY-MM-DD/` holds the rows to load into DynamoDB. */
    consentChanges: 'consent/changes/',
    runs: 'runs/',
    /** `${published}load_date=YYYY-MM-DD.json` names the published attempt of that date (docs/finalize.md). */
    published: 'published/',
    /** Lake: `${quality}<layer>/load_date=D.json`, the accepted quality figures of each layer and date (docs/quality-gates.md). */
    quality: 'quality/',
    /** Lake prefix where the Athena workgroup writes query results (transient; expired by lifecycle). */
    athenaResults: 'athena-results/',
    /** Lake prefix of run-scoped tables (bronze, silver); expired by lifecycle a few days after the run. */
    transient: '_transient/',
    /**
     * Lake prefix remembering the raw objects read to the end of their gzip stream: `<raw key>/<size>-<ETag>.json`,
     * so a file is verified once per version (docs/feeds.md "Verified before use").
     */
    rawVerified: 'raw-verified/',
    /**
     * Lake prefix of the opt-out events as received (one gzip JSON line per event, `date=YYYY-MM-DD/<event id>.jsonl.gz`):
     * the daily run merges them into the opt-out register (docs/optout-register.md).
     */
    optOutEvents: 'events/opt-outs/',
    /** Exports bucket: `${exports}date=YYYY-MM-DD/` holds a day's list files and their manifest (§7). */
    exports: 'exports/',
    /**
     * Exports bucket: `${deliveryChecks}<partner>/<run id>/` holds the files a partner's Transfer Family connector
     * retrieves back from the partner after a delivery (the reconciliation hashes them; docs/exports.md "Partner delivery").
     */
    deliveryChecks: 'delivery-checks/',
  },
  /**
   * The S3 object tag the lake's lifecycle rules read (lib/storage.ts; docs/infrastructure.md "Retention"). A prefix
   * cannot tell a failed attempt's objects from the published one's, so the code that writes them says it.
   */
  retentionTag: {
    key: 'outbound-retention',
    /** Written on every object of an attempt (`runs/load_date=D/attempt=A/…`): expires a few weeks after it is written. */
    attempt: 'attempt',
    /** Set by Finalize, just before the publication, on the attempt's configuration snapshot: the date's history, kept. */
    history: 'history',
  },
  glueDatabase: 'outbound',
  athenaWorkgroup: 'outbound',
} as const;

/** Item that records the as-of date of the last completed consent load (answers' `asOf`). */
export const consentLoadMarker = {
  account_number: '#META',
  phone_number: '#LAST_LOAD',
} as const;

/**
 * The account of the PhoneConsent items that hold the opted-out numbers (one per E.164 phone, sort key
 * phone_number): a number in the opt-out register is OPTED_OUT for can_send_sms on every account (§4).
 */
export const optOutItemAccount = '#OPTOUT';

export type Resources = typeof resources;
