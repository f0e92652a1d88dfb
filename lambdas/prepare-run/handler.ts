import { createHash } from 'node:crypto';
import { createLogger } from '../../adapters/logger.ts';
import { measuredStep, publishMetrics } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { metricNames } from '../../config/metrics.ts';
import { envNames } from '../../config/environment.ts';
import { resources } from '../../config/resources.ts';
import { DEFAULT_MAX_SNAPSHOT_AGE_DAYS, checkConsentInputs } from '../../domain/consent-feeds.ts';
import { DAILY_FEEDS } from '../../domain/daily-feeds.ts';
import { checkDailyInputs, dailyInputKeys, loanTapeAgeDays } from '../../domain/daily-inputs.ts';
import { easternDate, isIsoDate } from '../../domain/load-date.ts';
import { runLayout } from '../../domain/run-layout.ts';
import { readCampaignConfigFile, runCampaignConfigPath } from '../../adapters/campaign-config-file.ts';
import { putLakeJson } from '../../adapters/lake-store.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { verifyRawObjects } from '../../adapters/raw-verification.ts';

const logger = createLogger();

const eventSchema = z.object({
  executionName: z.string().min(1),
  /** `$$.Execution.StartTime`: Report measures the run's duration from it. */
  executionStartTime: z.iso.datetime({ offset: true }).optional(),
  input: z
    .object({
      date: z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD').optional(),
      steps: z.enum(['consent', 'all']).default('all'),
      fullLoad: z.boolean().default(false),
    })
    .default({ steps: 'all', fullLoad: false }),
});

export interface PreparedRun {
  /** `${loadDate}-${hash of the configuration snapshot and the input file names}`: equal inputs, equal id, identical rows. */
  runId: string;
  /** The execution name: unique per execution, it keeps a re-run's files apart until the day is published. */
  attempt: string;
  loadDate: string;
  steps: 'consent' | 'all';
  fullLoad: boolean;
  consentFiles: number;
  /** Lake key of the configuration snapshot (steps `all` only). */
  configSnapshot: string | null;
  /** When the execution started (null when invoked without it, outside the state machine). */
  executionStartTime: string | null;
}

export const handler = measuredStep('prepare-run', prepareRun);

/**
 * Prepare run: settles the load date and the run's identity, refuses to start on missing or stale
 * inputs, on an input file that is not a complete gzip stream, or on an invalid campaign configuration,
 * and snapshots the configuration the run will use.
 */
async function prepareRun(event: unknown): Promise<PreparedRun> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`invalid run input: ${z.prettifyError(parsed.error)}`);
  const { executionName: attempt, input } = parsed.data;
  const loadDate = input.date ?? easternDate(new Date());

  const consentKeys = await listRawKeys(resources.prefixes.consentFeeds);
  const { files, problems } = checkConsentInputs(consentKeys, loadDate, maxSnapshotAgeDays());
  const inputKeys = files.map((file) => file.key);
  let config: unknown = null;
  if (input.steps === 'all') {
    const dailyKeys = (await Promise.all(DAILY_FEEDS.map((feed) => listRawKeys(`${feed}/`)))).flat();
    problems.push(...checkDailyInputs(dailyKeys, loadDate).problems);
    // Published now, before a stale tape makes this step throw: the stale-loan-tape alarm reads it.
    const tapeAge = loanTapeAgeDays(dailyKeys, loadDate);
    if (tapeAge !== null) publishMetrics({ [metricNames.loanTapeAgeDays]: tapeAge });
    inputKeys.push(...dailyInputKeys(dailyKeys, loadDate));
    const loaded = await readCampaignConfigFile();
    if (!loaded.ok) {
      const listed = loaded.problems.slice(0, 20).map((problem) => `${problem.path || '(file)'}: ${problem.message}`);
      throw new ConfigurationInvalidError(`campaign configuration ${runCampaignConfigPath()} is invalid: ${listed.join('; ')}`);
    }
    config = loaded.config;
  }
  if (problems.length > 0) throw new InputsNotReadyError(`inputs for ${loadDate} are not ready: ${problems.join('; ')}`);
  // Every file the run reads, to the end of its gzip stream, before any step uses one (docs/feeds.md "Verified before use").
  const { versions, ...verification } = await verifyRawObjects(inputKeys, { context: `inputs for ${loadDate}` });
  logger.info('inputs verified', verification);

  // The run's identity: the configuration and every input by name and version, so a file delivered again
  // with other contents under the same name is another run.
  const inputs = inputKeys.sort().map((key) => [key, versions[key] ?? null]);
  const fingerprint = createHash('sha256').update(JSON.stringify({ config, inputs })).digest('hex').slice(0, 12);
  const configSnapshot = config === null ? null : runLayout.configSnapshot(loadDate, attempt);
  if (configSnapshot !== null) await putLakeJson(configSnapshot, config);

  const run: PreparedRun = {
    runId: `${loadDate}-${fingerprint}`,
    attempt,
    loadDate,
    steps: input.steps,
    fullLoad: input.fullLoad,
    consentFiles: files.length,
    configSnapshot,
    executionStartTime: parsed.data.executionStartTime ?? null,
  };
  logger.info('run prepared', { ...run });
  return run;
}

/** OUTBOUND_MAX_SNAPSHOT_AGE_DAYS, a whole number of days (default: the SPEC's 1). */
function maxSnapshotAgeDays(): number {
  const text = process.env[envNames.maxSnapshotAgeDays];
  if (text === undefined || text === '') return DEFAULT_MAX_SNAPSHOT_AGE_DAYS;
  if (!/^[0-9]{1,4}$/.test(text)) throw new Error(`${envNames.maxSnapshotAgeDays} must be a whole number of days, not ${JSON.stringify(text)}`);
  return Number(text);
}

export class InputsNotReadyError extends Error {
  override name = 'InputsNotReadyError';
}

export class ConfigurationInvalidError extends Error {
  override name = 'ConfigurationInvalidError';
}
