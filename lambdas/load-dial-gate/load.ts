import { putOptOuts } from '../../adapters/consent-store.ts';
import { dayItems, getDialGateMarker, putDayItems, putDialGateMarker } from '../../adapters/dial-gate-store.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import type { LoadDialGateOutput } from '../../domain/run/step-outputs.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { optOutRegisterPartitionColumn, optOutRegisterTable } from '../../domain/run/lake-tables.ts';

/** `YYYY-MM-DD HH:MM:SS[.fff]` (a UTC TIMESTAMP as text in either engine) → ISO-8601 UTC. */
function isoUtc(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}

/**
 * Step `LoadDialGate` of the daily run (docs/api.md "can-call"): the published day's calling windows per
 * (account, phone) and budgets per account into the dial-gate table, the register's phones opted out since the
 * day loaded last into the PhoneConsent opt-out items; then the marker names the day, unless a newer one is loaded.
 * Every write is a put of the same item on a re-run.
 */
export async function loadDialGate(engine: SqlEngine, options: { loadDate: string; runId: string; now?: Date }): Promise<LoadDialGateOutput> {
  const { loadDate, runId } = options;
  const values = { load_date: sqlDate(loadDate) };
  const windows = await engine.query<{ account_number: string; phone_number: string; window_start_utc: string; window_end_utc: string }>(
    await loadSql('dial-gate/dial_gate_windows.sql', values),
  );
  const budgets = await engine.query<{ account_number: string; calls_allowed_today: number | null }>(await loadSql('dial-gate/dial_gate_budgets.sql', values));
  await putDayItems(
    dayItems(
      loadDate,
      windows.map((row) => ({ account: row.account_number, phone: row.phone_number, start: isoUtc(row.window_start_utc), end: isoUtc(row.window_end_utc) })),
      budgets.map((row) => ({ account: row.account_number, callsAllowedToday: row.calls_allowed_today })),
    ),
  );

  const marker = await getDialGateMarker();
  const registerDates = await engine.partitionValues(optOutRegisterTable, optOutRegisterPartitionColumn);
  const loaded = marker !== undefined && marker.as_of_date < loadDate && registerDates.includes(marker.as_of_date) ? marker.as_of_date : null;
  const optOuts = registerDates.includes(loadDate)
    ? await engine.query<{ phone_number: string; first_event_date: string }>(
        await loadSql('optouts/optout_register_new_phones.sql', { ...values, loaded_date: sqlDate(loaded) }),
      )
    : [];
  await putOptOuts(optOuts.map((row) => ({ phone: row.phone_number, since: row.first_event_date })));

  const markerMoved = marker === undefined || marker.as_of_date <= loadDate;
  if (markerMoved) await putDialGateMarker({ as_of_date: loadDate, run_id: runId, loaded_at: (options.now ?? new Date()).toISOString() });
  return { loadDate, windows: windows.length, budgets: budgets.length, optOuts: optOuts.length, markerMoved };
}
