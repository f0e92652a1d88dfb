import { describe, expect, it } from 'vitest';
import { easternDate, isIsoDate } from '../../../domain/values/load-date.ts';

describe('load dates', () => {
  it('accepts real calendar days only', () => {
    expect(isIsoDate('2026-11-20')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('20261120')).toBe(false);
  });

  it('defaults to the date in America/New_York, not UTC', () => {
    // 03:30 UTC on Nov 21 is still Nov 20 in New York (UTC-5); 05:30 UTC is Nov 21.
    expect(easternDate(new Date('2026-11-21T03:30:00Z'))).toBe('2026-11-20');
    expect(easternDate(new Date('2026-11-21T05:30:00Z'))).toBe('2026-11-21');
    // Summer time: UTC-4.
    expect(easternDate(new Date('2026-07-01T03:59:00Z'))).toBe('2026-06-30');
    expect(easternDate(new Date('2026-07-01T04:00:00Z'))).toBe('2026-07-01');
  });
});
