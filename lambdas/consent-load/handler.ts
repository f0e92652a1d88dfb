import { z } from 'zod';
import { defineStep } from '../../adapters/step.ts';
import { runStepInput } from '../../domain/run/run-step-input.ts';
import { consentLoadOutput, consentTransformOutput } from '../../domain/run/step-outputs.ts';
import { loadConsentChanges } from './load.ts';

/** The consent transform's result gives the changes and whether to load them (statemachines/daily-run.asl.json). */
const eventSchema = runStepInput.extend({
  fullLoad: z.boolean().optional(),
  skipped: consentTransformOutput.shape.loadSkipped,
  changes: consentTransformOutput.shape.changes,
});

/** Step `ConsentLoad` of the daily run (lambdas/consent-load/load.ts). */
export const handler = defineStep({
  name: 'consent-load',
  what: 'consent load',
  input: eventSchema,
  output: consentLoadOutput,
  run: loadConsentChanges,
});
