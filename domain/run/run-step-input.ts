import { z } from 'zod';
import { isIsoDate } from '../values/load-date.ts';

/** The run's identity as every step after PrepareRun receives it (statemachines/daily-run.asl.json passes it from `$.run`). */
export const runStepInput = z.object({
  runId: z.string().min(1),
  loadDate: z.string().refine(isIsoDate, 'loadDate must be a date written YYYY-MM-DD'),
});

/** …with the attempt (the execution name), which becomes part of the lake's keys: a plain name only. */
export const attemptStepInput = runStepInput.extend({
  attempt: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:+-]*$/, 'attempt must be a plain name (letters, digits, _ . : + -)'),
});
