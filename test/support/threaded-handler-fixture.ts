import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';

/** A handler for test/integration/local/lambda-workers.test.ts: echoes its event and an environment variable, or fails by name. */
export async function handler(event: { fail?: string; value?: number }): Promise<unknown> {
  if (event.fail) throw Object.assign(new Error(`failed as asked: ${event.fail}`), { name: event.fail });
  await sleep(50);
  return { value: event.value, variable: process.env.OUTBOUND_THREAD_TEST ?? null, threadId };
}
