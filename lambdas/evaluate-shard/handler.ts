import { z } from 'zod';
import { publishMetrics } from '../../adapters/metrics.ts';
import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { metricNames } from '../../config/metrics.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { evaluateShardOutput } from '../../domain/run/step-outputs.ts';
import { evaluateShardTask } from './shard.ts';

/** Step `EvaluateShard` (one Distributed Map item, lambdas/evaluate-shard/shard.ts); logs no row content. */
export const handler = defineStep({
  name: 'evaluate-shard',
  what: 'evaluate shard',
  input: attemptStepInput.extend({
    shard: z.number().int().nonnegative().max(9_999),
    /** The manifest's facts prefix, `runs/load_date=D/attempt=A/facts/`. */
    prefix: z.string().min(1),
  }),
  output: evaluateShardOutput,
  run: async (input, logger) => {
    logger.appendKeys({ shard: input.shard });
    const result = await evaluateShardTask({ ...input, bucket: requireEnv(envNames.lakeBucket) });
    publishMetrics({ [metricNames.customersEvaluated]: result.customers });
    logger.info('shard evaluated', { customers: result.customers, rows: result.rows, assembly: result.assembly });
    return result;
  },
});
