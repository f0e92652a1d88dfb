import { Worker } from 'node:worker_threads';

type Handler = (event: unknown) => Promise<unknown>;

interface Invocation {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface WorkerReply {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** One local Lambda execution environment: a worker thread serving one invocation at a time. */
class LambdaThread {
  private readonly worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url));
  private current: Invocation | undefined;

  constructor(private readonly onExit: (thread: LambdaThread) => void) {
    this.worker.on('message', (reply: WorkerReply) => {
      const invocation = this.finish();
      if (reply.ok) invocation?.resolve(reply.result);
      else invocation?.reject(Object.assign(new Error(reply.error!.message), { name: reply.error!.name, stack: reply.error!.stack }));
    });
    // A thread that dies takes its invocation with it, as a crashed Lambda does.
    this.worker.on('error', (error) => this.finish()?.reject(error));
    this.worker.on('exit', () => {
      this.finish()?.reject(new Error('local Lambda thread exited during an invocation'));
      this.onExit(this);
    });
    // Only a busy thread keeps the process alive (unref after the listeners: adding one refs the port again).
    this.worker.unref();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  invoke(moduleUrl: URL, functionName: string, event: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage({ moduleUrl: moduleUrl.href, functionName, event, env: { ...process.env } });
    });
  }

  private finish(): Invocation | undefined {
    const invocation = this.current;
    this.current = undefined;
    this.worker.unref();
    return invocation;
  }
}

const threads = new Set<LambdaThread>();

/**
 * A handler whose invocations run on worker threads, one invocation per thread at a time (a thread is
 * started when every other one is busy, and stays warm afterwards). The local runtime uses it for the
 * Distributed Map's shards: in the cloud each is a Lambda of its own, and on one JavaScript thread two
 * shards would take turns instead of using both cores. Errors keep their name, so the state machine's
 * Retry and Catch see what they would see from Lambda.
 */
export function threadedHandler(moduleUrl: URL, functionName: string): { handler: Handler } {
  return {
    handler: (event) => {
      let thread = [...threads].find((candidate) => !candidate.busy);
      if (!thread) {
        thread = new LambdaThread((exited) => threads.delete(exited));
        threads.add(thread);
      }
      return thread.invoke(moduleUrl, functionName, event);
    },
  };
}
