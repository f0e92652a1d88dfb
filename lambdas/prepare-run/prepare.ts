import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { publishMetrics } from '../../adapters/metrics.ts';
import { metricNames } from '../../config/metrics.ts';
import { envNames } from '../../config/environment.ts';
import { resources } from '../../config/resources.ts';
import { DEFAULT_MAX_SNAPSHOT_AGE_DAYS, checkConsentInputs } from '../../domain/consent/consent-feeds.ts';
import { DAILY_FEEDS, feedFolder } from '../../domain/feeds/daily-feeds.ts';
import { checkDailyInputs, dailyInputKeys, loanTapeAgeDays } from '../../domain/feeds/daily-inputs.ts';
import { easternDate } from '../../domain/values/load-date.ts';
import { runLayout } from '../../domain/run/run-layout.ts';
import type { PrepareRunOutput } from '../../domain/run/step-outputs.ts';
import { readCampaignConfigFile, runCampaignConfigPath } from '../../adapters/campaign-config-file.ts';
import { putLakeJson } from '../../adapters/lake-store.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { verifyRawObjects } from '../../adapters/raw-verification.ts';

export interface RunRequest {
  /** The execution name: the attempt. */
  attempt: string;
  executionStartTime: string | null;
  date?: string | undefined;
  steps: 'consent' | 'all';
  fullLoad: boolean;
}

/**
 * Prepare run: settles the load date and the run's identity, refuses to start on missing or stale
 * inputs, on an input file that is not a complete gzip stream, or on an invalid campaign configuration,
 * and snapshots the configuration the run will use.
 */
export async function prepareRun(request: RunRequest, logger: Logger): Promise<PrepareRunOutput> {
  const { attempt, steps, fullLoad } = request;
  const loadDate = request.date ?? easternDate(new Date());

  const consentKeys = await listRawKeys(resources.prefixes.consentFeeds);
  const { files, problems } = checkConsentInputs(consentKeys, loadDate, maxSnapshotAgeDays());
  const inputKeys = files.map((file) => file.key);
  let config: unknown = null;
  if (steps === 'all') {
    const dailyKeys = (await Promise.all([...new Set(DAILY_FEEDS.map(feedFolder))].map((folder) => listRawKeys(`${folder}/`)))).flat();
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

  const run: PrepareRunOutput = {
    runId: `${loadDate}-${fingerprint}`,
    attempt,
    loadDate,
    steps,
    fullLoad,
    consentFiles: files.length,
    configSnapshot,
    executionStartTime: request.executionStartTime,
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
