import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { isIsoDate } from '../../domain/load-date.ts';
import { runConsentTransform, type ConsentTransformResult } from './transform.ts';

const logger = new Logger({ serviceName: 'outbound' });

export const ConsentTransformInput = z.object({
  runId: z.string().min(1),
  loadDate: z.string().refine(isIsoDate, 'loadDate must be a date written YYYY-MM-DD'),
});

/** Step `ConsentTransform` of the daily run: raw consent files → bronze → silver → gold, rejects, changes. */
export async function handler(event: unknown): Promise<ConsentTransformResult> {
  const parsed = ConsentTransformInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid consent transform input: ${z.prettifyError(parsed.error)}`);
  const { runId, loadDate } = parsed.data;
  logger.appendKeys({ runId, loadDate });
  const engine = await createSqlEngine();
  try {
    const result = await runConsentTransform(engine, {
      asOfDate: loadDate,
      lakeBucket: requireEnv(envNames.lakeBucket),
      log: (step, rows) => logger.info('consent transform step', { step, rows }),
    });
    logger.info('consent transform done', { previousAsOfDate: result.previousAsOfDate, rows: result.rows, rejectsByReason: result.rejectsByReason });
    return result;
  } finally {
    await engine.close();
  }
}
