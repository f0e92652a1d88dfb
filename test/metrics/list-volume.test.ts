import { describe, expect, it } from 'vitest';
import { checkListVolumes, DEFAULT_LIST_VOLUME_DEVIATION_PERCENT, parseDeviationPercent } from '../../domain/run/list-volume.ts';

/** The list volume check of Report (domain/run/list-volume.ts): today's customers against the trailing mean. */

const history = (list_name: string, days: number, assigned: number) => ({ set_name: 'COLLECTIONS', list_name, days, assigned });
const today = (list_name: string, assigned: number) => ({ set_name: 'COLLECTIONS', list_name, assigned });

describe('list volume check', () => {
  it('is not an anomaly at exactly P % from the mean, and is one just beyond, in both directions', () => {
    // Prepare: a mean of 100 over 7 days (700 customers).
    const lists = [history('AT_HIGH', 7, 700), history('BEYOND_HIGH', 7, 700), history('AT_LOW', 7, 700), history('BEYOND_LOW', 7, 700)];
    // Act
    const checks = checkListVolumes([today('AT_HIGH', 130), today('BEYOND_HIGH', 131), today('AT_LOW', 70), today('BEYOND_LOW', 69)], lists, 30);
    // Assess
    expect(checks.map((check) => [check.list_name, check.deviationPercent, check.anomaly])).toEqual([
      ['AT_HIGH', 30, false],
      ['BEYOND_HIGH', 31, true],
      ['AT_LOW', 30, false],
      ['BEYOND_LOW', 31, true],
    ]);
  });

  it('keeps the boundary exact when the mean is not a whole number', () => {
    // Prepare: mean 10/3; 20 % above it is 4 exactly.
    const lists = [history('THIRDS', 3, 10)];
    // Act
    const [check] = checkListVolumes([today('THIRDS', 4)], lists, 20);
    // Assess
    expect(check).toMatchObject({ assigned: 4, trailingMean: 10 / 3, anomaly: false });
  });

  it('counts a list with history but no customers today as 0 today, and never checks a list without history', () => {
    // Act
    const checks = checkListVolumes([today('NEW', 5_000)], [history('GONE', 2, 40), history('NEVER_FILLED', 0, 0)], 30);
    // Assess
    expect(checks).toEqual([{ set_name: 'COLLECTIONS', list_name: 'GONE', assigned: 0, trailingMean: 20, deviationPercent: 100, anomaly: true }]);
  });

  it('reads the percentage from its variable, defaulting when unset, refusing what is not a percentage', () => {
    expect(parseDeviationPercent(undefined, 'X')).toBe(DEFAULT_LIST_VOLUME_DEVIATION_PERCENT);
    expect(parseDeviationPercent(' ', 'X')).toBe(30);
    expect(parseDeviationPercent('12.5', 'X')).toBe(12.5);
    expect(() => parseDeviationPercent('thirty', 'OUTBOUND_LIST_VOLUME_DEVIATION_PERCENT')).toThrow(
      'OUTBOUND_LIST_VOLUME_DEVIATION_PERCENT must be a non-negative number of percent, got "thirty"',
    );
    expect(() => parseDeviationPercent('-5', 'X')).toThrow(/non-negative/);
  });
});
