import { z } from 'zod';
import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { loadDialGate, type LoadDialGateResult } from './load.ts';

const logger = createLogger();

export const handler = measuredStep('load-dial-gate', loadDialGateStep);

/** Step `LoadDialGate` of the daily run: the published day → the dial gate (can-call) and the opt-out items (can_send_sms). */
async function loadDialGateStep(event: unknown): Promise<LoadDialGateResult> {
  const parsed = attemptStepInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid dial-gate load input: ${z.prettifyError(parsed.error)}`);
  const { runId, attempt, loadDate } = parsed.data;
  logger.appendKeys({ runId, attempt, loadDate });
  const engine = await createSqlEngine();
  try {
    const result = await loadDialGate(engine, { loadDate, runId });
    logger.info('dial gate loaded', { ...result });
    return result;
  } finally {
    await engine.close();
  }
}
