import { z } from 'zod';
import { defineStep } from '../../adapters/step.ts';
import { isIsoDate } from '../../domain/values/load-date.ts';
import { prepareRunOutput } from '../../domain/run/step-outputs.ts';
import { prepareRun } from './prepare.ts';

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

/** Step `PrepareRun` of the daily run (lambdas/prepare-run/prepare.ts). */
export const handler = defineStep({
  name: 'prepare-run',
  what: 'run',
  input: eventSchema,
  output: prepareRunOutput,
  run: ({ executionName, executionStartTime, input }, logger) =>
    prepareRun({ attempt: executionName, executionStartTime: executionStartTime ?? null, ...input }, logger),
});
