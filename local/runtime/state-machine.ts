import './polyfills.ts';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Context } from 'aws-lambda';
import { envNames } from '../../config/environment.ts';
import { lambdaContext } from './lambda-context.ts';
import { localFunctions, type FunctionPlaceholder } from './functions.ts';

/**
 * Runs statemachines/daily-run.asl.json — the same file the cloud deploys — with aws-local-stepfunctions,
 * each Lambda task bound to its handler in this process and the SNS notification sent to a file sink.
 */
export const definitionFile = new URL('../../statemachines/daily-run.asl.json', import.meta.url);

/** Shards evaluated at once by the local runner (the cloud's MaxConcurrency stays in the ASL file). */
const LOCAL_SHARD_CONCURRENCY = 2;

type Json = unknown;
export interface StepTiming {
  state: string;
  startedAt: number;
  durationMs?: number;
  status: 'running' | 'succeeded' | 'failed' | 'caught';
}

export interface LocalExecution {
  executionName: string;
  output: Json;
  timings: StepTiming[];
}

export interface RunOptions {
  home: string;
  input: Record<string, Json>;
  executionName?: string;
  onStep?: (timing: StepTiming) => void;
  /** Failures to inject into Task states (failure drills and tests); the handlers themselves know nothing of them. */
  faults?: FaultPlan;
  /** Called on every invocation of a Lambda-backed Task state, retries included, before any injected fault. */
  onInvoke?: (invocation: { state: string; input: Json }) => void;
}

/**
 * A failure injected into a Task state of a local run: the local stand-in for a failed Lambda invocation
 * (`outbound run --inject-fault`, docs/failure-drill.md). It lives in this runtime only, never in Lambda code.
 */
export interface Fault {
  /** The Task state whose invocations fail: a top-level step, or `EvaluateShard` inside the Map. */
  state: string;
  /** How many matching invocations fail, counting from the first (retries included); every one when omitted. */
  times?: number;
  /** Only invocations whose input has these top-level values, e.g. `{ shard: 0 }`. */
  where?: Record<string, Json>;
  /**
   * `before` (default): the invocation fails without running the handler, as when Lambda cannot run it.
   * `after`: the handler runs and its writes stay, then the invocation fails, as a timeout after the work.
   */
  phase?: 'before' | 'after';
  /** The error name Retry and Catch match (e.g. `Lambda.ServiceException`); default `InjectedFault`. */
  error?: string;
}
export type FaultPlan = readonly Fault[];

export const INJECTED_FAULT = 'InjectedFault';

export async function loadDefinition(): Promise<{ definition: StateMachineDefinition; bindings: Record<string, FunctionPlaceholder> }> {
  const text = await readFile(definitionFile, 'utf8');
  const bindings: Record<string, FunctionPlaceholder> = {};
  type States = Record<string, { Type: string; Resource?: string; ItemProcessor?: { States: States } }>;
  // Task states at any depth: the shard evaluation runs inside the Map's item processor.
  const bind = (states: States) => {
    for (const [stateName, state] of Object.entries(states)) {
      if (state.ItemProcessor) bind(state.ItemProcessor.States);
      const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1];
      if (state.Type !== 'Task' || !placeholder || placeholder === 'AlertTopicArn') continue;
      if (!(placeholder in localFunctions)) throw new Error(`state ${stateName}: no local handler bound to \${${placeholder}}`);
      bindings[stateName] = placeholder as FunctionPlaceholder;
    }
  };
  bind((JSON.parse(text) as { States: States }).States);
  const substituted = text.replace(/\$\{(\w+)\}/g, (_, name: string) =>
    name === 'AlertTopicArn' ? 'arn:aws:sns:us-east-1:000000000000:outbound-alerts' : `arn:aws:lambda:us-east-1:000000000000:function:outbound-${name}`,
  );
  const definition = JSON.parse(substituted) as StateMachineDefinition;
  // Locally every shard runs in this process: more at once only adds memory (~230 MB each), never speed.
  for (const state of Object.values(definition.States)) {
    if (state.Type === 'Map') (state as { MaxConcurrency?: number }).MaxConcurrency = LOCAL_SHARD_CONCURRENCY;
  }
  return { definition, bindings };
}

export async function runDailyStateMachine(options: RunOptions): Promise<LocalExecution> {
  const { definition, bindings } = await loadDefinition();
  const executionName = options.executionName ?? `local-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const takeFault = armFaults(options.faults ?? [], Object.keys(bindings));
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const [stateName, placeholder] of Object.entries(bindings)) {
    handlers[stateName] = async (input) => {
      options.onInvoke?.({ state: stateName, input: structuredClone(input) });
      const fault = takeFault(stateName, input);
      if (fault && fault.phase !== 'after') throw injectedError(fault, 'before running the handler');
      const { handler } = await localFunctions[placeholder]();
      // Lambda passes JSON, so the handler sees a copy and returns something JSON-serialisable.
      const result = await (handler as (event: Json, context: Context) => Promise<Json>)(structuredClone(input), lambdaContext(placeholder));
      if (fault) throw injectedError(fault, 'after the handler ran');
      return JSON.parse(JSON.stringify(result ?? null)) as Json;
    };
  }
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task' && (state as { Resource: string }).Resource === 'arn:aws:states:::sns:publish') {
      handlers[stateName] = (input) => writeNotification(options.home, executionName, input);
    }
  }

  // The handlers' EMF metric records go to a file of this execution: on stdout they would bury the CLI's output.
  const metricsFileBefore = process.env[envNames.localMetricsFile];
  process.env[envNames.localMetricsFile] = localMetricsFile(options.home, executionName);
  const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: true } });
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never },
    context: {
      Execution: {
        Id: `arn:aws:states:local:000000000000:execution:daily-run:${executionName}`,
        Name: executionName,
        Input: options.input as never,
        StartTime: new Date().toISOString(),
      },
    },
  });

  const timings: StepTiming[] = [];
  const open = new Map<string, StepTiming>();
  const watch = (async () => {
    for await (const event of execution.eventLogs) {
      if (!('state' in event) || !event.state) continue;
      const name = event.state.name;
      // Steps are the top-level states; the Map's iterations run concurrently under one step.
      if (!(name in definition.States)) continue;
      if (event.type === 'StateEntered') {
        const timing: StepTiming = { state: name, startedAt: event.timestamp, status: 'running' };
        open.set(name, timing);
        timings.push(timing);
        options.onStep?.(timing);
      } else if (event.type === 'StateExited' || event.type === 'StateFailed' || event.type === 'StateCaught') {
        const timing = open.get(name);
        if (!timing) continue;
        timing.durationMs = event.timestamp - timing.startedAt;
        timing.status = event.type === 'StateExited' ? 'succeeded' : event.type === 'StateCaught' ? 'caught' : 'failed';
        open.delete(name);
        options.onStep?.(timing);
      }
    }
  })();
  try {
    const output = await execution.result;
    return { executionName, output, timings };
  } finally {
    await watch.catch(() => undefined);
    if (metricsFileBefore === undefined) delete process.env[envNames.localMetricsFile];
    else process.env[envNames.localMetricsFile] = metricsFileBefore;
  }
}

/** Checks the plan against the Task states and returns the matcher that consumes one failure per matching invocation. */
function armFaults(faults: FaultPlan, taskStates: readonly string[]): (state: string, input: Json) => Fault | undefined {
  for (const fault of faults) {
    if (!taskStates.includes(fault.state)) throw new Error(`fault: ${fault.state} is not a Lambda task of the daily run (one of ${taskStates.join(', ')})`);
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0))
      throw new Error(`fault ${fault.state}: times must be a positive integer, got ${fault.times}`);
  }
  const remaining = faults.map((fault) => fault.times ?? Number.POSITIVE_INFINITY);
  return (state, input) => {
    const index = faults.findIndex(
      (fault, i) =>
        fault.state === state &&
        remaining[i]! > 0 &&
        Object.entries(fault.where ?? {}).every(([name, value]) => JSON.stringify((input as Record<string, Json> | null)?.[name]) === JSON.stringify(value)),
    );
    if (index < 0) return undefined;
    remaining[index]! -= 1;
    return faults[index];
  };
}

function injectedError(fault: Fault, when: string): Error {
  const error = new Error(`injected fault: ${fault.state} failed ${when} (outbound run --inject-fault)`);
  error.name = fault.error ?? INJECTED_FAULT;
  return error;
}

/** The metrics (one EMF JSON record a line) the handlers of a local execution published. */
export function localMetricsFile(home: string, executionName: string): string {
  return join(home, 'metrics', `${executionName}.jsonl`);
}

async function writeNotification(home: string, executionName: string, message: Json): Promise<Json> {
  const dir = join(home, 'notifications');
  await mkdir(dir, { recursive: true });
  const messageId = randomUUID();
  await writeFile(join(dir, `${executionName}.json`), JSON.stringify({ messageId, executionName, sentAt: new Date().toISOString(), message }, null, 2));
  return { MessageId: messageId };
}
