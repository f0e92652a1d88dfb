import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseEventsText, type EventRejection } from '../../../domain/api/events.ts';
import type { IngestCounts } from '../../../lambdas/ingest-events/ingest.ts';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';

export interface EventsIngestReport extends IngestCounts {
  /** Events read from the file that could be used. */
  received: number;
  /** Lines (JSON Lines) or indexes (JSON array) that could not be read, with the problems, never the values. */
  rejected: EventRejection[];
}

/** `outbound events ingest FILE` on a started runtime: the valid events are ingested, the others reported. */
export async function ingestEventsFile(file: string): Promise<EventsIngestReport> {
  const { events, rejected } = parseEventsText(await readFile(file, 'utf8'));
  const { ingestEvents } = await import('../../../lambdas/ingest-events/ingest.ts');
  return { received: events.length, ...(await ingestEvents(events)), rejected };
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('dialer and SMS events (docs/api.md "Events")');
  events
    .command('ingest')
    .description('ingest call attempts and opt-outs from a JSON Lines file or a JSON array (prints one JSON object; exit 1 if any is rejected)')
    .argument('<file>', 'the events file')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .action(async (file: string, options: { home: string }) => {
      const runtime = await startLocalRuntime({ home: options.home });
      try {
        const report = await ingestEventsFile(file);
        console.log(JSON.stringify(report));
        if (report.rejected.length > 0) process.exitCode = 1;
      } finally {
        await runtime.stop();
      }
    });
}
