// A local Lambda "container" on its own thread (local/runtime/lambda-workers.ts): loads the TypeScript handler
// through tsx once, then serves invocations one at a time, as a warm Lambda execution environment does.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { lambdaContext } = await import('./lambda-context.ts');
const handlers = new Map();

parentPort.on('message', async ({ id, moduleUrl, functionName, event, env }) => {
  // The runtime's endpoints and names are set per run, after this thread started.
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env);
  try {
    if (!handlers.has(moduleUrl))
      handlers.set(
        moduleUrl,
        import(moduleUrl).then((module) => module.handler),
      );
    const result = await (await handlers.get(moduleUrl))(event, lambdaContext(functionName));
    parentPort.postMessage({ id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
  } catch (error) {
    const { name = 'Error', message = String(error), stack } = error instanceof Error ? error : {};
    parentPort.postMessage({ id, ok: false, error: { name, message, stack } });
  }
});
