import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { defineStep } from '../../adapters/step.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { loadDialGateOutput } from '../../domain/run/step-outputs.ts';
import { loadDialGate } from './load.ts';

/** Step `LoadDialGate` of the daily run: the published day → the dial gate (can-call) and the opt-out items (can_send_sms). */
export const handler = defineStep({
  name: 'load-dial-gate',
  what: 'dial-gate load',
  input: attemptStepInput,
  output: loadDialGateOutput,
  run: async ({ runId, loadDate }, logger) => {
    const engine = await createSqlEngine();
    try {
      const result = await loadDialGate(engine, { loadDate, runId });
      logger.info('dial gate loaded', { ...result });
      return result;
    } finally {
      await engine.close();
    }
  },
});
