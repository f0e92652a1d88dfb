import { resources } from '../../config/resources.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { DISPOSITION_HISTORY_DAYS } from '../../domain/feeds/daily-inputs.ts';
import { optOutRegisterPartitionColumn, optOutRegisterTable } from '../../domain/run/lake-tables.ts';
import type { RegisteredColumns, SqlEngine } from '../../adapters/sql-engine.ts';
import { loadSql, sqlDate, type SqlLiteral } from '../../sql/sql-files.ts';

/** The fields of an archived opt-out event (domain/api/events.ts) the register reads. */
export const optOutEventColumns: RegisteredColumns = { contact_value: 'string', event_date: 'string' };

/**
 * Writes partition `asOfDate` of the register: the newest partition dated on or before it, merged with the outcomes
 * of run-scoped table `facts_disposition_outcomes` (already built from the dispositions read) and the archived
 * opt-out events dated on or before it (optouts/optout_register.sql). One atomic partition write; the same inputs
 * give the same rows, and an entry is never removed. Returns the register's rows.
 */
export async function mergeOptOutRegister(engine: SqlEngine, options: { asOfDate: string; lakeBucket: string }): Promise<number> {
  const { asOfDate, lakeBucket } = options;
  const dates = await engine.partitionValues(optOutRegisterTable, optOutRegisterPartitionColumn);
  const baseDate = dates.filter((date) => date <= asOfDate).at(-1);
  const base =
    baseDate === undefined
      ? await loadSql('optouts/optout_register_empty.sql')
      : await loadSql('optouts/optout_register_base.sql', { base_date: sqlDate(baseDate) });
  await engine.createTransient('optout_register_base', base);
  await engine.registerJsonLines('optout_events', `s3://${lakeBucket}/${resources.prefixes.optOutEvents}`, optOutEventColumns);
  const values: Record<string, SqlLiteral> = { load_date: sqlDate(asOfDate) };
  return engine.writePartition(optOutRegisterTable, optOutRegisterPartitionColumn, asOfDate, await loadSql('optouts/optout_register.sql', values));
}

/**
 * The one-time backfill (`outbound optouts backfill`, docs/optout-register.md): merges every disposition day
 * on or before `asOfDate` in `dispositionDays` into partition `asOfDate` of the register, 90 days at a time
 * (the window the daily facts read), oldest first. Each window is one atomic merge, so a backfill cut short
 * leaves a register that holds what it had and the windows merged so far; running it again gives the same rows.
 * `asOfDate` should be the register's newest date (the next run merges from it). Returns the register's rows.
 */
export async function backfillOptOutRegister(
  engine: SqlEngine,
  options: { asOfDate: string; lakeBucket: string; dispositionDays: readonly string[]; log?: (windowEnd: string, rows: number) => void },
): Promise<number> {
  const { asOfDate } = options;
  const days = [...new Set(options.dispositionDays)].filter((day) => day <= asOfDate).sort();
  let rows = 0;
  for (
    let windowEnd = days[0] === undefined ? asOfDate : addDays(days[0], DISPOSITION_HISTORY_DAYS - 1);
    ;
    windowEnd = addDays(windowEnd, DISPOSITION_HISTORY_DAYS)
  ) {
    // biome-ignore lint/complexity/useMathMinMax: ISO dates compared as strings, not numbers
    const end = windowEnd < asOfDate ? windowEnd : asOfDate;
    await engine.registerFeeds(end);
    const window = { load_date: sqlDate(end), history_start: sqlDate(addDays(end, -(DISPOSITION_HISTORY_DAYS - 1))) };
    await engine.createTransient('facts_disposition_outcomes', await loadSql('facts/facts_disposition_outcomes.sql', window));
    rows = await mergeOptOutRegister(engine, options);
    options.log?.(end, rows);
    if (end === asOfDate) return rows;
  }
}
