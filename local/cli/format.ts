import type { ListSummary, RunSummary } from '../../domain/run/run-summary.ts';
import type { StepTiming } from '../runtime/state-machine.ts';

/** Human-readable rendering of the run summary and step timings for the CLI. */
export function formatRunSummary(summary: RunSummary): string {
  const c = summary.consent;
  const rows: [string, string][] = [
    ['run id', summary.runId],
    ['load date', summary.loadDate],
    ['consent exports (dated ≤ load date)', String(c.files)],
    ['consent exports read', `${c.filesRead}${c.carriedFromDate ? ` (the others carried in the state of ${c.carriedFromDate})` : ''}`],
    ...(c.rebuildReason ? ([['consent state rebuilt', c.rebuildReason]] as [string, string][]) : []),
    ['changes against (consent table held)', c.previousAsOfDate ?? '(none: first load, every row)'],
    ['bronze rows', String(c.bronzeRows)],
    ['gold phone_consent rows', String(c.goldRows)],
    ['rejected rows', `${c.rejectedRows}${formatReasons(c.rejectsByReason)}`],
    ['changes new / changed / gone', `${c.changes.new} / ${c.changes.changed} / ${c.changes.gone}`],
    c.loadSkipped
      ? ['DynamoDB', `not loaded: ${c.loadSkipped}`]
      : ['DynamoDB items written / deleted', `${c.writtenToDynamoDb} / ${c.deletedFromDynamoDb}${c.fullLoad ? ' (full load)' : ' (incremental)'}`],
  ];
  if (summary.lists) {
    rows.push(['customers evaluated / shards', `${summary.lists.customers} / ${summary.lists.shards}`]);
    for (const [feed, { setAside, counts }] of Object.entries(summary.lists.feeds)) {
      rows.push([`${feed} rows set aside`, `${setAside}${formatReasons(counts)}`]);
    }
  }
  if (summary.deliveries) {
    if (summary.deliveries.length === 0) rows.push(['partner deliveries', 'none (no list has an export.delivery)']);
    for (const { partner, file, bytes, via } of summary.deliveries)
      rows.push([
        `delivered to ${partner}`,
        `${file} (${bytes} bytes, ${via === 'sftp' ? 'SFTP, size and sha256 reconciled' : 'Transfer Family connector, size reconciled'})`,
      ]);
  }
  for (const [state, ms] of Object.entries(summary.durationsMs ?? {})) rows.push([`time ${state}`, `${(ms / 1000).toFixed(2)} s`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const text = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
  return summary.lists ? `${text}\n\n${formatLists(summary.lists.perList)}` : text;
}

/** Per list: assigned, suppressed by reason, contacts, exported (§7 run summary), as an aligned table. */
export function formatLists(lists: readonly ListSummary[]): string {
  const header = ['set', 'list', 'assigned', 'suppressed', 'contacts', 'exported', 'suppressed by reason'];
  const table = lists.map((list) => [
    list.set_name,
    list.list_name,
    String(list.assigned),
    String(list.suppressed),
    String(list.contacts),
    list.exported === null ? '-' : String(list.exported),
    Object.entries(list.suppressedByReason)
      .sort(([reasonA, a], [reasonB, b]) => b - a || (reasonA < reasonB ? -1 : 1))
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', '),
  ]);
  return formatTable(header, table, [false, false, true, true, true, true, false]).replace(/^/gm, '  ');
}

/** Columns padded to their widest cell; numeric columns right-aligned. */
export function formatTable(header: readonly string[], rows: readonly string[][], numeric: readonly boolean[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function formatReasons(byReason: Record<string, number>): string {
  const parts = Object.entries(byReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function formatStep(timing: StepTiming): string {
  if (timing.status === 'running') return `  … ${timing.state}`;
  const mark = timing.status === 'succeeded' ? '✓' : '✗';
  return `  ${mark} ${timing.state} ${((timing.durationMs ?? 0) / 1000).toFixed(2)} s${timing.status === 'caught' ? ' (failed, caught)' : ''}`;
}
