/**
 * The CloudWatch metrics of the application: handlers emit them (Powertools, embedded metric format),
 * `lib/` alarms on them and graphs them. One catalogue so both sides use the same names and dimensions.
 * Powertools adds the `service` dimension to every metric; alarms must name it too.
 */
export const metricsNamespace = 'outbound';
export const metricsService = 'outbound';

export const metricNames = {
  /** Report: 1 when a daily run (steps `all`) completes; its absence by the deadline pages. */
  runSucceeded: 'RunSucceeded',
  /** Report: seconds from the execution's start to the report. */
  runDuration: 'RunDurationSeconds',
  /** Each step's handler: its own duration, dimension `step`. */
  stepDuration: 'StepDurationSeconds',
  /** Evaluate shard: customers evaluated by the rules engine. */
  customersEvaluated: 'CustomersEvaluated',
  /** Report, per list (dimensions `set`, `list`): customers assigned, suppressed, contacts exported. */
  listAssigned: 'ListAssigned',
  listSuppressed: 'ListSuppressed',
  listContacts: 'ListContacts',
  /** Report, per suppression reason (dimension `reason`), all lists together. */
  suppressions: 'Suppressions',
  /** Report: lists whose assigned volume is more than the configured percentage away from their trailing 7-day mean. */
  listVolumeAnomalies: 'ListVolumeAnomalies',
  /** Consent load: DynamoDB items written and deleted. */
  consentRowsLoaded: 'ConsentRowsLoaded',
  /** Prepare run: days between the newest loan tape and the load date. */
  loanTapeAgeDays: 'LoanTapeAgeDays',
  /** Run deadline check (08:00 Eastern): 1 when the day is not published yet, 0 when it is. */
  runLate: 'RunLate',
  /** Report, per §3.2 feed (dimension `feed`): rows the customer-facts step did not use (quarantined). */
  feedRowsSetAside: 'FeedRowsSetAside',
  /** Data-quality gates: checks failed in a run, dimension `layer`. */
  qualityGateFailures: 'QualityGateFailures',
  /** Genesys results loop: lists whose contact list does not hold exactly the customers exported to it. */
  genesysListMismatches: 'GenesysListMismatches',
  /** Genesys results loop: attempts whose wrap-up code has no mapping (written as UNMAPPED). */
  genesysUnmappedWrapUps: 'GenesysUnmappedWrapUps',
} as const;

export const metricDimensions = {
  step: 'step',
  set: 'set',
  list: 'list',
  reason: 'reason',
  layer: 'layer',
  feed: 'feed',
} as const;

/** Values of the `step` dimension of StepDurationSeconds: the daily run's step functions (`lambdas/<step>/`). */
export const metricSteps = [
  'prepare-run',
  'consent-transform',
  'consent-load',
  'build-customer-facts',
  'evaluate-shard',
  'finalize',
  'load-dial-gate',
  'export-lists',
  'deliver-exports',
  'genesys-push',
  'report',
] as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];
export type MetricDimension = (typeof metricDimensions)[keyof typeof metricDimensions];
export type MetricStep = (typeof metricSteps)[number];
/** Values of the `step` dimension of the jobs outside the daily run. */
export const metricJobs = ['genesys-results'] as const;
export type MetricJob = (typeof metricJobs)[number];
