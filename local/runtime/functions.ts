import { threadedHandler } from './lambda-workers.ts';

/**
 * The Lambda handlers the daily-run state machine invokes, keyed by the definition-substitution
 * placeholder of its ASL (`${PrepareRunFunctionArn}` …) — the same placeholders the CDK stack fills.
 */
export const localFunctions = {
  PrepareRunFunctionArn: () => import('../../lambdas/prepare-run/handler.ts'),
  ConsentTransformFunctionArn: () => import('../../lambdas/consent-transform/handler.ts'),
  ConsentLoadFunctionArn: () => import('../../lambdas/consent-load/handler.ts'),
  BuildCustomerFactsFunctionArn: () => import('../../lambdas/build-customer-facts/handler.ts'),
  // The Map's shards run concurrently: each on a thread of its own, as each is a Lambda of its own in the cloud.
  EvaluateShardFunctionArn: async () => threadedHandler(new URL('../../lambdas/evaluate-shard/handler.ts', import.meta.url), 'EvaluateShardFunctionArn'),
  FinalizeFunctionArn: () => import('../../lambdas/finalize/handler.ts'),
  ExportListsFunctionArn: () => import('../../lambdas/export-lists/handler.ts'),
  DeliverExportsFunctionArn: () => import('../../lambdas/deliver-exports/handler.ts'),
  GenesysPushFunctionArn: () => import('../../lambdas/genesys-push/handler.ts'),
  LoadDialGateFunctionArn: () => import('../../lambdas/load-dial-gate/handler.ts'),
  ReportFunctionArn: () => import('../../lambdas/report/handler.ts'),
} as const;

export type FunctionPlaceholder = keyof typeof localFunctions;
