import { z } from 'zod';
import { DataFileError, parseDataFile, type DataFileProblem } from './data-file.ts';
import { isKnownTimeZone } from './local-time.ts';

/**
 * The reference data of config/reference/ (provenance in its README.md and docs/compliance.md):
 * state → time zones, area code → state and time zones, 3-digit ZIP prefix → time zones, and
 * state → 2020 census population. Time zones are held as bit masks over `zones`, so a customer's
 * set of known zones is one integer.
 */

export const REFERENCE_FILES = {
  stateTimezones: 'state_timezones.csv',
  areaCodes: 'area_codes.csv',
  zip3Timezones: 'zip3_timezones.csv',
  statePopulation: 'state_population.csv',
} as const;

export type ReferenceTexts = Record<keyof typeof REFERENCE_FILES, string>;

export const REGIONS = ['state', 'district', 'territory'] as const;
/** Outside the 50 states and DC: territories, and toll-free codes that locate nobody. */
export const AREA_CODE_REGIONS = [...REGIONS, 'toll_free'] as const;
export type AreaCodeRegion = (typeof AREA_CODE_REGIONS)[number];

export interface AreaCode {
  /** USPS code; null for toll-free codes. */
  state: string | null;
  region: AreaCodeRegion;
  /** Bit mask over ReferenceData.zones; 0 = no location. */
  zones: number;
}

export interface StatePopulation {
  name: string;
  population: number;
  /** Share of the 50 states and DC together. */
  share: number;
}

export interface ReferenceData {
  /** Distinct IANA zones of the files, sorted; bit i of a mask is zones[i]. */
  readonly zones: readonly string[];
  readonly stateZones: ReadonlyMap<string, number>;
  readonly areaCodes: ReadonlyMap<string, AreaCode>;
  readonly zip3Zones: ReadonlyMap<string, number>;
  readonly statePopulation: ReadonlyMap<string, StatePopulation>;
}

/** At most this many distinct zones: masks are 31-bit integers. */
const MAX_ZONES = 31;
const SHARE_TOLERANCE = 5e-7;

const zoneList = z
  .string()
  .min(1, 'at least one time zone is required')
  .transform((value) => value.split(' ').filter((zone) => zone !== ''))
  .refine((zones) => zones.every(isKnownTimeZone), 'expected IANA time zones separated by spaces');
const stateCode = z.string().regex(/^[A-Z]{2}$/, 'expected a USPS code of two capitals');

const stateZonesSchema = z.strictObject({ state: stateCode, name: z.string().min(1), region: z.enum(REGIONS), timezones: zoneList });
const areaCodeSchema = z
  .strictObject({
    npa: z.string().regex(/^[2-9]\d{2}$/, 'expected a 3-digit area code'),
    state: z.union([z.literal(''), stateCode]),
    region: z.enum(AREA_CODE_REGIONS),
    timezones: z
      .string()
      .transform((value) => value.split(' ').filter((zone) => zone !== ''))
      .refine((zones) => zones.every(isKnownTimeZone), 'expected IANA time zones separated by spaces'),
  })
  .superRefine((row, context) => {
    const tollFree = row.region === 'toll_free';
    if (tollFree !== (row.state === ''))
      context.addIssue({ code: 'custom', path: ['state'], message: tollFree ? 'must be empty for a toll-free code' : 'required' });
    if (tollFree !== (row.timezones.length === 0))
      context.addIssue({ code: 'custom', path: ['timezones'], message: tollFree ? 'must be empty for a toll-free code' : 'required' });
  });
const zip3Schema = z.strictObject({ zip3: z.string().regex(/^\d{3}$/, 'expected a 3-digit ZIP prefix'), timezones: zoneList });
const populationSchema = z.strictObject({
  state: stateCode,
  name: z.string().min(1),
  population_2020: z
    .string()
    .regex(/^[1-9]\d*$/, 'expected a positive integer')
    .transform(Number),
  share: z
    .string()
    .regex(/^0\.\d+$/, 'expected a decimal fraction')
    .transform(Number),
});

/** state_timezones.csv: the hand-kept table the area-code time zones are derived from (scripts/build-reference-data.ts). */
export function parseStateTimezones(text: string) {
  return parseDataFile(text, REFERENCE_FILES.stateTimezones, ['state', 'name', 'region', 'timezones'], stateZonesSchema);
}

export function parseReferenceData(texts: ReferenceTexts): ReferenceData {
  const states = parseStateTimezones(texts.stateTimezones);
  const areaCodes = parseDataFile(texts.areaCodes, REFERENCE_FILES.areaCodes, ['npa', 'state', 'region', 'timezones'], areaCodeSchema);
  const zip3 = parseDataFile(texts.zip3Timezones, REFERENCE_FILES.zip3Timezones, ['zip3', 'timezones'], zip3Schema);
  const population = parseDataFile(texts.statePopulation, REFERENCE_FILES.statePopulation, ['state', 'name', 'population_2020', 'share'], populationSchema);

  const zones = [...new Set([...states, ...areaCodes, ...zip3].flatMap(({ value }) => value.timezones))].sort();
  if (zones.length > MAX_ZONES) throw new Error(`the reference data names ${zones.length} time zones; at most ${MAX_ZONES} are supported`);
  const mask = (names: readonly string[]) => names.reduce((bits, name) => bits | (1 << zones.indexOf(name)), 0);

  const problems: DataFileProblem[] = [];
  const unique = <T>(file: string, records: { line: number; value: T }[], key: (value: T) => string, column: string) => {
    const seen = new Map<string, number>();
    for (const { line, value } of records) {
      const first = seen.get(key(value));
      if (first !== undefined) problems.push({ file, line, column, message: `${key(value)} is already on line ${first}` });
      else seen.set(key(value), line);
    }
  };
  unique(REFERENCE_FILES.stateTimezones, states, (row) => row.state, 'state');
  unique(REFERENCE_FILES.areaCodes, areaCodes, (row) => row.npa, 'npa');
  unique(REFERENCE_FILES.zip3Timezones, zip3, (row) => row.zip3, 'zip3');
  unique(REFERENCE_FILES.statePopulation, population, (row) => row.state, 'state');

  const stateZones = new Map(states.map(({ value }) => [value.state, mask(value.timezones)]));
  for (const { line, value } of areaCodes) {
    if (value.state !== '' && !stateZones.has(value.state))
      problems.push({ file: REFERENCE_FILES.areaCodes, line, column: 'state', message: `${value.state} is not in ${REFERENCE_FILES.stateTimezones}` });
  }
  const total = population.reduce((sum, { value }) => sum + value.population_2020, 0);
  for (const { line, value } of population) {
    if (!stateZones.has(value.state))
      problems.push({ file: REFERENCE_FILES.statePopulation, line, column: 'state', message: `${value.state} is not in ${REFERENCE_FILES.stateTimezones}` });
    if (Math.abs(value.share - value.population_2020 / total) > SHARE_TOLERANCE) {
      problems.push({
        file: REFERENCE_FILES.statePopulation,
        line,
        column: 'share',
        message: `expected population_2020 / total = ${(value.population_2020 / total).toFixed(8)}`,
      });
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);

  return {
    zones,
    stateZones,
    areaCodes: new Map(
      areaCodes.map(({ value }) => [value.npa, { state: value.state === '' ? null : value.state, region: value.region, zones: mask(value.timezones) }]),
    ),
    zip3Zones: new Map(zip3.map(({ value }) => [value.zip3, mask(value.timezones)])),
    statePopulation: new Map(population.map(({ value }) => [value.state, { name: value.name, population: value.population_2020, share: value.share }])),
  };
}

/** The zone names of a mask, in `zones` order. */
export function zoneNames(reference: ReferenceData, zones: number): string[] {
  return reference.zones.filter((_, index) => (zones & (1 << index)) !== 0);
}
