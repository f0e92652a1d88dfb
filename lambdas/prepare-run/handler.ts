import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { resources } from '../../config/resources.ts';
import { checkConsentInputs } from '../../domain/consent-feeds.ts';
import { easternDate, isIsoDate } from '../../domain/load-date.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';

const logger = new Logger();

const eventSchema = z.object({
  executionName: z.string().min(1),
  input: z
    .object({
      date: z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD').optional(),
      steps: z.enum(['consent', 'all']).default('all'),
      fullLoad: z.boolean().default(false),
    })
    .default({ steps: 'all', fullLoad: false }),
});

export interface PreparedRun {
  runId: string;
  loadDate: string;
  steps: 'consent' | 'all';
  fullLoad: boolean;
  consentFiles: number;
}

/** Prepare run: settles the run id and load date, and refuses to start on missing or stale inputs. */
export async function handler(event: unknown): Promise<PreparedRun> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`invalid run input: ${z.prettifyError(parsed.error)}`);
  const { executionName, input } = parsed.data;
  const loadDate = input.date ?? easternDate(new Date());

  const { files, problems } = checkConsentInputs(await listRawKeys(resources.prefixes.consentFeeds), loadDate);
  if (problems.length > 0) throw new InputsNotReadyError(`inputs for ${loadDate} are not ready: ${problems.join('; ')}`);

  const run: PreparedRun = { runId: executionName, loadDate, steps: input.steps, fullLoad: input.fullLoad, consentFiles: files.length };
  logger.info('run prepared', { ...run });
  return run;
}

export class InputsNotReadyError extends Error {
  override name = 'InputsNotReadyError';
}
