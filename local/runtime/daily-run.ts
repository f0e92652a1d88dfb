import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalRuntime } from './runtime.ts';
import { configuredPartners } from './partners.ts';
import { runDailyStateMachine, type LocalExecution, type RunOptions, type StepTiming } from './state-machine.ts';
import type { RunSummary } from '../../domain/run/run-summary.ts';

export interface DailyRunOptions {
  data: string;
  date: string;
  home: string;
  steps: 'consent' | 'all';
  fullLoad?: boolean;
  onStep?: (timing: StepTiming) => void;
  faults?: RunOptions['faults'];
  onInvoke?: RunOptions['onInvoke'];
}

export class DailyRunFailedError extends Error {
  override name = 'DailyRunFailedError';
  constructor(
    message: string,
    readonly notification: unknown,
  ) {
    super(message);
  }
}

/**
 * One local daily run: starts the embedded stand-ins, executes the state machine, and writes the
 * run summary (with step durations) under `<home>/runs/`. Throws DailyRunFailedError on failure.
 */
export async function runDailyLocally(options: DailyRunOptions): Promise<RunSummary> {
  // The partners the configuration delivers to get an embedded SFTP server each (docs/exports.md "Partner delivery").
  const runtime = await startLocalRuntime({ home: options.home, data: options.data, partners: await configuredPartners() });
  const executionName = `local-${options.date}-${Date.now().toString(36)}`;
  try {
    let result: LocalExecution;
    try {
      result = await runDailyStateMachine({
        home: runtime.home,
        executionName,
        input: { date: options.date, steps: options.steps, fullLoad: options.fullLoad ?? false },
        onStep: options.onStep,
        faults: options.faults,
        onInvoke: options.onInvoke,
      });
    } catch (error) {
      const notification = await readNotification(runtime.home, executionName);
      throw new DailyRunFailedError(describeFailure(notification) ?? (error as Error).message, notification);
    }
    const output = result.output as { summary: RunSummary };
    const summary: RunSummary = { ...output.summary, durationsMs: stepDurations(result.timings) };
    const dir = join(runtime.home, 'runs', options.date);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${summary.runId}.json`), JSON.stringify(summary, null, 2));
    return summary;
  } finally {
    await runtime.stop();
  }
}

function stepDurations(timings: StepTiming[]): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const timing of timings) if (timing.durationMs !== undefined) durations[timing.state] = (durations[timing.state] ?? 0) + timing.durationMs;
  return durations;
}

async function readNotification(home: string, executionName: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(home, 'notifications', `${executionName}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

function describeFailure(notification: unknown): string | undefined {
  const message = (notification as { message?: { Message?: string } } | undefined)?.message?.Message;
  if (!message) return undefined;
  // The local state machine's States.JsonToString does not always escape the Cause; read the two fields anyway.
  const error = (parseJson(message) ?? /^\{"Error":"(?<Error>[^"]*)","Cause":"(?<Cause>.*)"\}$/s.exec(message)?.groups) as
    | { Error?: string; Cause?: unknown }
    | undefined;
  if (!error) return message;
  // A Lambda failure's Cause is itself JSON ({errorType, errorMessage}); a local handler's is the message.
  const cause = typeof error.Cause === 'string' ? ((parseJson(error.Cause) as { errorMessage?: string } | undefined)?.errorMessage ?? error.Cause) : undefined;
  return `${error.Error ?? 'Error'}: ${cause ?? ''}`.trim();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
