import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import type { MetricJob, MetricStep } from '../config/metrics.ts';
import { createLogger } from './logger.ts';
import { measuredStep } from './metrics.ts';

export interface StepDefinition<Input extends z.ZodType, Output extends z.ZodType> {
  /** The step's `lambdas/<name>/` folder, and the `step` dimension of its StepDurationSeconds. */
  name: MetricStep | MetricJob;
  /** What its input is called in the error a malformed one gets: `invalid <what> input: …`. */
  what: string;
  input: Input;
  /** The step's result as the next steps read it (domain/run/step-outputs.ts). */
  output: Output;
  run: (input: z.output<Input>, logger: Logger) => Promise<z.input<Output>>;
}

/**
 * A step's Lambda handler, the same for every step: the event is parsed with the input schema (a malformed one
 * fails naming each problem, never a value), the run's identity goes into every log line, the step runs, its
 * result is checked against the output schema (a step never hands the next one a result it cannot read) and
 * returned as it is; the duration is published and an error's row contents are redacted (measuredStep).
 */
export function defineStep<Input extends z.ZodType, Output extends z.ZodType>(
  step: StepDefinition<Input, Output>,
): (event: unknown) => Promise<z.input<Output>> {
  const logger = createLogger();
  return measuredStep(step.name, async (event: unknown) => {
    const parsed = step.input.safeParse(event);
    if (!parsed.success) throw new Error(`invalid ${step.what} input: ${z.prettifyError(parsed.error)}`);
    logger.appendKeys(runKeys(parsed.data));
    const result = await step.run(parsed.data, logger);
    const checked = step.output.safeParse(result);
    if (!checked.success) throw new Error(`${step.name} returned a result its output schema refuses: ${z.prettifyError(checked.error)}`);
    return result;
  });
}

/** The run's identity, where the input carries it. */
function runKeys(input: unknown): Record<string, string> {
  const keys: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return keys;
  for (const key of ['runId', 'attempt', 'loadDate'] as const) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value === 'string') keys[key] = value;
  }
  return keys;
}
