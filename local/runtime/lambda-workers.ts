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

/** How long an idle thread stays warm: the Map's next item arrives within milliseconds, the next step's never does. */
const IDLE_MS = 1_000;

/** One local Lambda execution environment: a worker thread serving one invocation at a time. */
class LambdaThread {
  private readonly worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url));
  private current: Invocation | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  /** `retire` takes the thread out of service (it is called once more when the thread exits). */
  constructor(private readonly retire: (thread: LambdaThread) => void) {
    this.worker.on('message', (reply: WorkerReply) => {
      const invocation = this.finish();
      if (reply.ok) invocation?.resolve(reply.result);
      else invocation?.reject(Object.assign(new Error(reply.error!.message), { name: reply.error!.name, stack: reply.error!.stack }));
    });
    // A thread that dies takes its invocation with it, as a crashed Lambda does.
    this.worker.on('error', (error) => this.finish()?.reject(error));
    this.worker.on('exit', () => {
      clearTimeout(this.idleTimer);
      const invocation = this.current;
      this.current = undefined;
      invocation?.reject(new Error('local Lambda thread exited during an invocation'));
      this.retire(this);
    });
    // Only a busy thread keeps the process alive (unref after the listeners: adding one refs the port again).
    this.worker.unref();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  invoke(moduleUrl: URL, functionName: string, event: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      clearTimeout(this.idleTimer);
      this.current = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage({ moduleUrl: moduleUrl.href, functionName, event, env: { ...process.env } });
    });
  }

  private finish(): Invocation | undefined {
    const invocation = this.current;
    this.current = undefined;
    this.worker.unref();
    // Like an idle Lambda environment, a thread nobody invokes for a while is reclaimed: its heap would
    // otherwise stay in this process while the next steps run.
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.retire(this);
      void this.worker.terminate();
    }, IDLE_MS).unref();
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
        thread = new LambdaThread((retired) => threads.delete(retired));
        threads.add(thread);
      }
      return thread.invoke(moduleUrl, functionName, event);
    },
  };
}
