import { z } from 'zod';
import { metricNames } from '../../config/metrics.ts';
import { assessRunDeadline, deadlineLoadDate, type RunDeadlineCheck } from '../../domain/run/run-deadline.ts';
import { publicationKey } from '../../domain/run/run-layout.ts';
import { lakeObjectExists } from '../../adapters/lake-store.ts';
import { createLogger } from '../../adapters/logger.ts';
import { publishMetrics } from '../../adapters/metrics.ts';

const logger = createLogger();

// The 08:00 schedule sends `{}`; `date` checks another day by hand.
const eventSchema = z.object({ date: z.string().optional() });

/**
 * Run deadline check (08:00 Eastern): is the day published? Emits RunLate (1 late, 0 on time), which pages.
 * If this check itself fails, it emits nothing and its Lambda error alarm pages instead.
 */
export async function handler(event: unknown): Promise<RunDeadlineCheck> {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) throw new Error(`invalid run deadline check input: ${z.prettifyError(parsed.error)}`);
  const loadDate = deadlineLoadDate(new Date(), parsed.data.date);

  const check = assessRunDeadline(loadDate, await lakeObjectExists(publicationKey(loadDate)));
  publishMetrics({ [metricNames.runLate]: check.runLate });
  if (check.runLate) logger.warn('daily run not published by the deadline', { ...check });
  else logger.info('daily run published before the deadline', { ...check });
  return check;
}
