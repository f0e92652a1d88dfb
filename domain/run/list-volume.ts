/**
 * List volume anomalies (SPEC §8): a list whose customers assigned today are more than P % away from its
 * trailing mean — the mean over the published load dates of the 7 days before, counting only the dates on
 * which the list had customers (a list new to the configuration is not compared with days before it existed).
 * A list without such a date has no history and is never an anomaly; exactly P % away is not an anomaly.
 */
export const LIST_VOLUME_HISTORY_DAYS = 7;
export const DEFAULT_LIST_VOLUME_DEVIATION_PERCENT = 30;

/** A list's history (Finalize, sql/finalize/list_volume_history.sql): dates with customers, customers over those dates. */
export interface ListVolumeHistory {
  set_name: string;
  list_name: string;
  days: number;
  assigned: number;
}

export interface ListVolumeCheck {
  set_name: string;
  list_name: string;
  /** Customers assigned today (0 when the list has none today). */
  assigned: number;
  trailingMean: number;
  deviationPercent: number;
  anomaly: boolean;
}

/** One check per list with history; today's lists without history are not checked. */
export function checkListVolumes(
  today: readonly { set_name: string; list_name: string; assigned: number }[],
  history: readonly ListVolumeHistory[],
  deviationPercent: number,
): ListVolumeCheck[] {
  const assignedToday = new Map(today.map((list) => [`${list.set_name}\u0000${list.list_name}`, list.assigned]));
  return history
    .filter((list) => list.days > 0 && list.assigned > 0)
    .map((list) => {
      const assigned = assignedToday.get(`${list.set_name}\u0000${list.list_name}`) ?? 0;
      // In integers (today × days against the total): exactly P % away stays exactly P %, with no rounding.
      const distance = Math.abs(assigned * list.days - list.assigned);
      return {
        set_name: list.set_name,
        list_name: list.list_name,
        assigned,
        trailingMean: list.assigned / list.days,
        deviationPercent: (distance * 100) / list.assigned,
        anomaly: distance * 100 > deviationPercent * list.assigned,
      };
    });
}

/** The configured percentage (OUTBOUND_LIST_VOLUME_DEVIATION_PERCENT); unset or empty = the default. */
export function parseDeviationPercent(text: string | undefined, variable: string): number {
  if (text === undefined || text.trim() === '') return DEFAULT_LIST_VOLUME_DEVIATION_PERCENT;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${variable} must be a non-negative number of percent, got ${JSON.stringify(text)}`);
  return value;
}
