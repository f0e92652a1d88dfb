import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda context for handlers invoked in-process by the local runtime. */
export function lambdaContext(functionName: string, memoryLimitInMB = 1024, timeoutMs = 900_000): Context {
  const notAvailable = () => {
    throw new Error('not available in the local runtime');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `outbound-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:outbound-${functionName}`,
    memoryLimitInMB: String(memoryLimitInMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/outbound-${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => timeoutMs,
    done: notAvailable,
    fail: notAvailable,
    succeed: notAvailable,
  };
}
