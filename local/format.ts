import type { RunSummary } from '../domain/run-summary.ts';
import type { StepTiming } from './state-machine.ts';

/** Human-readable rendering of the run summary and step timings for the CLI. */
export function formatRunSummary(summary: RunSummary): string {
  const c = summary.consent;
  const rows: [string, string][] = [
    ['run id', summary.runId],
    ['load date', summary.loadDate],
    ['consent files read', String(c.files)],
    ['previous gold', c.previousAsOfDate ?? '(none: first run, full load)'],
    ['bronze rows', String(c.bronzeRows)],
    ['gold phone_consent rows', String(c.goldRows)],
    ['rejected rows', `${c.rejectedRows}${formatReasons(c.rejectsByReason)}`],
    ['changes new / changed / gone', `${c.changes.new} / ${c.changes.changed} / ${c.changes.gone}`],
    ['DynamoDB items written / deleted', `${c.writtenToDynamoDb} / ${c.deletedFromDynamoDb}${c.fullLoad ? ' (full load)' : ' (incremental)'}`],
  ];
  for (const [state, ms] of Object.entries(summary.durationsMs ?? {})) rows.push([`time ${state}`, `${(ms / 1000).toFixed(2)} s`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

function formatReasons(byReason: Record<string, number>): string {
  const parts = Object.entries(byReason).sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${reason} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function formatStep(timing: StepTiming): string {
  if (timing.status === 'running') return `  … ${timing.state}`;
  const mark = timing.status === 'succeeded' ? '✓' : '✗';
  return `  ${mark} ${timing.state} ${((timing.durationMs ?? 0) / 1000).toFixed(2)} s${timing.status === 'caught' ? ' (failed, caught)' : ''}`;
}
