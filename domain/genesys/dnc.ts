/**
 * The DNC list kept in step with the day (docs/genesys.md "The DNC list"): a number suppressed today
 * that no call or SMS list exports today is added; a number exported today is removed, since the
 * list that exports it may dial it today. A number neither suppressed nor exported today stays: the
 * run knows nothing about it today, and when unsure the number is kept (fail closed).
 */
export function dncChanges(day: { suppressed: readonly string[]; exported: ReadonlySet<string>; current: readonly string[] }): {
  add: string[];
  remove: string[];
} {
  const current = new Set(day.current);
  const add = [...new Set(day.suppressed)].filter((phone) => !day.exported.has(phone) && !current.has(phone)).sort();
  const remove = [...current].filter((phone) => day.exported.has(phone)).sort();
  return { add, remove };
}
