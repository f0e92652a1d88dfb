import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DIR } from '../../../config/compliance/data.ts';
import { localTimeToUtc, weekdayOf } from '../../../domain/compliance/local-time.ts';
import { parseReferenceData, REFERENCE_FILES, zoneNames, type ReferenceTexts } from '../../../domain/compliance/reference-data.ts';
import { reference } from './helpers.ts';

/** The shipped reference data and the time arithmetic the windows rest on. */

const texts = Object.fromEntries(
  Object.entries(REFERENCE_FILES).map(([key, file]) => [key, readFileSync(join(REFERENCE_DIR, file), 'utf8')]),
) as ReferenceTexts;

describe('reference data', () => {
  const areaCode = (npa: string) => {
    const entry = reference.areaCodes.get(npa);
    return entry && { state: entry.state, region: entry.region, zones: zoneNames(reference, entry.zones) };
  };

  it('maps area codes to their state and its time zones, every zone of a state that spans several', () => {
    expect(areaCode('213')).toEqual({ state: 'CA', region: 'state', zones: ['America/Los_Angeles'] });
    expect(areaCode('202')).toEqual({ state: 'DC', region: 'district', zones: ['America/New_York'] });
    expect(areaCode('915')).toEqual({ state: 'TX', region: 'state', zones: ['America/Chicago', 'America/Denver'] });
  });

  it('marks territories and toll-free codes', () => {
    expect(areaCode('671')).toEqual({ state: 'GU', region: 'territory', zones: ['Pacific/Guam'] });
    expect(areaCode('800')).toEqual({ state: null, region: 'toll_free', zones: [] });
  });

  it('has the 2020 census resident population of the 50 states and DC, with shares summing to 1', () => {
    const rows = [...reference.statePopulation.values()];
    expect(rows).toHaveLength(51);
    expect(rows.reduce((sum, row) => sum + row.population, 0)).toBe(331_449_281);
    expect(rows.reduce((sum, row) => sum + row.share, 0)).toBeCloseTo(1, 6);
    expect(reference.statePopulation.get('CA')).toEqual({ name: 'California', population: 39_538_223, share: 0.11928891 });
  });

  it('refuses a share that does not match the population, naming line and column', () => {
    const statePopulation = texts.statePopulation.replace('AL|Alabama|5024279|0.01515852', 'AL|Alabama|5024279|0.02515852');
    expect(() => parseReferenceData({ ...texts, statePopulation })).toThrow(
      'state_population.csv line 2, column share: expected population_2020 / total = 0.01515852',
    );
  });

  it('refuses an unknown time zone and an area code of an unknown state', () => {
    const stateTimezones = texts.stateTimezones.replace('AL|Alabama|state|America/Chicago', 'AL|Alabama|state|America/Springfield');
    expect(() => parseReferenceData({ ...texts, stateTimezones })).toThrow(
      'state_timezones.csv line 2, column timezones: expected IANA time zones separated by spaces',
    );
    const areaCodes = texts.areaCodes.replace('201|NJ|state', '201|QQ|state');
    expect(() => parseReferenceData({ ...texts, areaCodes })).toThrow('area_codes.csv line 2, column state: QQ is not in state_timezones.csv');
  });
});

describe('local time', () => {
  it('reads a time skipped by the spring-forward change just after the gap, and a repeated one at its first occurrence', () => {
    expect(new Date(localTimeToUtc('2026-03-08', 2 * 60 + 30, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(localTimeToUtc('2026-11-01', 60 + 30, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles zones without DST and east of UTC', () => {
    expect(new Date(localTimeToUtc('2026-07-01', 8 * 60, 'America/Phoenix')).toISOString()).toBe('2026-07-01T15:00:00.000Z');
    expect(new Date(localTimeToUtc('2026-07-01', 8 * 60, 'Pacific/Guam')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('gives the weekday of a calendar date', () => {
    expect([weekdayOf('2026-03-08'), weekdayOf('2026-03-10')]).toEqual([0, 2]);
  });
});
