import { isoDate } from './days.ts';
import { AREA_CODES } from './phone-text.ts';
import { type Rng, pickWith, weighted, type Weighted } from './random.ts';

/**
 * Addresses of the generated customers: state (2020 census weights), ZIP code, time zone, and the
 * link between the address and the area codes of the phones. docs/generator.md gives the sources.
 */

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
] as const;
type Zone = (typeof ZONES)[number];
interface StateRow {
  state: string;
  /** 2020 census resident population, thousands. */
  population: number;
  /** Time zone of most of the state. */
  zone: Zone;
  /** 3-digit ZIP prefixes of the state (USPS), as ranges. */
  zipPrefixes: string;
  /** Area codes of the state among the generator's `AREA_CODES` (phone-text.ts). */
  areaCodes: readonly number[];
  /** Prefixes in another zone than `zone`. */
  zoneExceptions?: Readonly<Record<number, Zone>>;
}

const NY = 'America/New_York';
const CHI = 'America/Chicago';
const DEN = 'America/Denver';
const LA = 'America/Los_Angeles';

// ZIP prefixes: the state's USPS ranges, restricted to the prefixes present in the zip-to-timezone 1.2.1 data
// (so every generated ZIP resolves there); zones of the prefixes from the same data.
const STATE_ROWS: readonly StateRow[] = [
  { state: 'AL', population: 5024, zone: CHI, zipPrefixes: '350-352,354-369', areaCodes: [205] },
  { state: 'AK', population: 733, zone: 'America/Anchorage', zipPrefixes: '995-999', areaCodes: [907] },
  { state: 'AZ', population: 7152, zone: 'America/Phoenix', zipPrefixes: '850-853,855-857,859-860,863-865', areaCodes: [480, 602, 520] },
  { state: 'AR', population: 3012, zone: CHI, zipPrefixes: '716-729', areaCodes: [501] },
  { state: 'CA', population: 39538, zone: LA, zipPrefixes: '900-908,910-928,930-961', areaCodes: [213, 310, 415, 408, 510, 619, 714, 818, 916, 949, 559] },
  { state: 'CO', population: 5774, zone: DEN, zipPrefixes: '800-816', areaCodes: [303, 720] },
  { state: 'CT', population: 3606, zone: NY, zipPrefixes: '60-69', areaCodes: [203] },
  { state: 'DE', population: 990, zone: NY, zipPrefixes: '197-199', areaCodes: [302] },
  { state: 'DC', population: 690, zone: NY, zipPrefixes: '200-205', areaCodes: [202] },
  { state: 'FL', population: 21538, zone: NY, zipPrefixes: '320-342,344-347,349', areaCodes: [305, 407, 813, 904, 954, 561, 786] },
  { state: 'GA', population: 10712, zone: NY, zipPrefixes: '300-319', areaCodes: [404, 678, 770] },
  { state: 'HI', population: 1455, zone: 'Pacific/Honolulu', zipPrefixes: '967-968', areaCodes: [808] },
  { state: 'ID', population: 1839, zone: DEN, zipPrefixes: '832-838', areaCodes: [208], zoneExceptions: { 835: LA, 838: LA } },
  { state: 'IL', population: 12813, zone: CHI, zipPrefixes: '600-620,622-629', areaCodes: [312, 773, 630, 847] },
  { state: 'IN', population: 6786, zone: NY, zipPrefixes: '460,462,464', areaCodes: [317], zoneExceptions: { 464: CHI } },
  { state: 'IA', population: 3190, zone: CHI, zipPrefixes: '500-516,520-528', areaCodes: [515] },
  { state: 'KS', population: 2938, zone: CHI, zipPrefixes: '660-661,666,672', areaCodes: [316] },
  { state: 'KY', population: 4506, zone: NY, zipPrefixes: '402,405,410', areaCodes: [502] },
  { state: 'LA', population: 4658, zone: CHI, zipPrefixes: '700-701,703-708,710-714', areaCodes: [504, 225] },
  { state: 'ME', population: 1362, zone: NY, zipPrefixes: '39-49', areaCodes: [207] },
  { state: 'MD', population: 6177, zone: NY, zipPrefixes: '206-212,214-219', areaCodes: [410, 301] },
  { state: 'MA', population: 7030, zone: NY, zipPrefixes: '10-27', areaCodes: [617, 508] },
  { state: 'MI', population: 10077, zone: NY, zipPrefixes: '480-483,485,488-490,495-496', areaCodes: [313, 248, 616] },
  { state: 'MN', population: 5706, zone: CHI, zipPrefixes: '550-551,553-567', areaCodes: [612, 651] },
  { state: 'MS', population: 2961, zone: CHI, zipPrefixes: '390-397', areaCodes: [601] },
  { state: 'MO', population: 6154, zone: CHI, zipPrefixes: '630-631,633-641,644-658', areaCodes: [314, 816] },
  { state: 'MT', population: 1084, zone: DEN, zipPrefixes: '590-599', areaCodes: [406] },
  { state: 'NE', population: 1962, zone: CHI, zipPrefixes: '680-681,685', areaCodes: [402] },
  { state: 'NV', population: 3104, zone: LA, zipPrefixes: '889-891,893-895,897-898', areaCodes: [702] },
  { state: 'NH', population: 1377, zone: NY, zipPrefixes: '30-38', areaCodes: [603] },
  { state: 'NJ', population: 9289, zone: NY, zipPrefixes: '70-89', areaCodes: [201, 973, 732] },
  { state: 'NM', population: 2118, zone: DEN, zipPrefixes: '870-875,877-884', areaCodes: [505] },
  { state: 'NY', population: 20201, zone: NY, zipPrefixes: '100-149', areaCodes: [212, 718, 917, 646, 347, 516, 914, 716, 585] },
  { state: 'NC', population: 10439, zone: NY, zipPrefixes: '270-289', areaCodes: [704, 919, 336] },
  { state: 'ND', population: 779, zone: CHI, zipPrefixes: '581-582,585', areaCodes: [701] },
  { state: 'OH', population: 11799, zone: NY, zipPrefixes: '430-459', areaCodes: [216, 614, 513] },
  { state: 'OK', population: 3959, zone: CHI, zipPrefixes: '730-731,733-741,743-749', areaCodes: [405] },
  { state: 'OR', population: 4237, zone: LA, zipPrefixes: '970-973,975,977-979', areaCodes: [503], zoneExceptions: { 979: DEN } },
  { state: 'PA', population: 13003, zone: NY, zipPrefixes: '150-196', areaCodes: [215, 412, 267] },
  { state: 'RI', population: 1097, zone: NY, zipPrefixes: '28-29', areaCodes: [401] },
  { state: 'SC', population: 5118, zone: NY, zipPrefixes: '290-299', areaCodes: [803, 843] },
  { state: 'SD', population: 887, zone: CHI, zipPrefixes: '570-577', areaCodes: [605], zoneExceptions: { 577: DEN } },
  { state: 'TN', population: 6911, zone: CHI, zipPrefixes: '370,372,376,379,381,383', areaCodes: [615, 901], zoneExceptions: { 376: NY, 379: NY } },
  {
    state: 'TX',
    population: 29146,
    zone: CHI,
    zipPrefixes: '750-770,772-799',
    areaCodes: [214, 281, 512, 713, 832, 972, 210, 817, 915],
    zoneExceptions: { 798: DEN, 799: DEN },
  },
  { state: 'UT', population: 3272, zone: DEN, zipPrefixes: '840-847', areaCodes: [801] },
  { state: 'VT', population: 643, zone: NY, zipPrefixes: '50-59', areaCodes: [802] },
  { state: 'VA', population: 8631, zone: NY, zipPrefixes: '220-246', areaCodes: [703, 757, 804] },
  { state: 'WA', population: 7705, zone: LA, zipPrefixes: '980-986,988-994', areaCodes: [206, 425, 509] },
  { state: 'WV', population: 1794, zone: NY, zipPrefixes: '247-268', areaCodes: [304] },
  { state: 'WI', population: 5894, zone: CHI, zipPrefixes: '530-532,534-535,537-549', areaCodes: [414] },
  { state: 'WY', population: 577, zone: DEN, zipPrefixes: '820-831', areaCodes: [307] },
];

interface StateInfo {
  row: StateRow;
  prefixes: number[];
  /** Population share. */
  share: number;
  /** Share of `AREA_CODES` in the state: how often a uniformly drawn consent phone is from there. */
  areaCodeShare: number;
  /** P(keep the primary phone's state as the address), see `addressStateFor`. */
  keep: number;
}

const TOTAL_POPULATION = STATE_ROWS.reduce((sum, row) => sum + row.population, 0);

const STATES = new Map<string, StateInfo>(
  STATE_ROWS.map((row) => {
    const share = row.population / TOTAL_POPULATION;
    const areaCodeShare = row.areaCodes.length / AREA_CODES.length;
    const prefixes = row.zipPrefixes.split(',').flatMap((range) => {
      const [low, high = low] = range.split('-').map(Number);
      return Array.from({ length: high - low + 1 }, (_, k) => low + k);
    });
    return [row.state, { row, prefixes, share, areaCodeShare, keep: Math.min(1, share / areaCodeShare) }];
  }),
);

const STATE_OF_AREA_CODE = new Map<number, string>(STATE_ROWS.flatMap((row) => row.areaCodes.map((code) => [code, row.state] as const)));

/** Population-weighted draw of a state. */
export const STATE_BY_POPULATION: Weighted<string> = weighted(STATE_ROWS.map((row) => [row.state, row.population] as const));

/**
 * The residual of the coupling below: states drawn more often by population than by area code,
 * with the weight of their deficit.
 */
const STATE_RESIDUAL: Weighted<string> = weighted(
  [...STATES.values()].filter((info) => info.share > info.areaCodeShare).map((info) => [info.row.state, info.share - info.areaCodeShare] as const),
);

export function stateOfAreaCode(areaCode: number): string {
  const state = STATE_OF_AREA_CODE.get(areaCode);
  if (!state) throw new Error(`area code ${areaCode} is not in the generator's table`);
  return state;
}

/**
 * The address state of a customer whose primary phone has `areaCode`: a maximal coupling of the
 * area-code distribution of the consent phones and the census distribution. The address is in the
 * phone's state with probability min(1, share / areaCodeShare), otherwise drawn from the states
 * under-represented by area codes; so states are exactly population-weighted and ~88% of primary
 * phones are in the address state (the others are numbers kept after a move).
 */
export function addressStateFor(areaCode: number, u: number, v: number): string {
  const state = stateOfAreaCode(areaCode);
  return u < STATES.get(state)!.keep ? state : pickWith(STATE_RESIDUAL, v);
}

export interface Address {
  state: string;
  zip: string;
  zone: Zone;
}

export function drawAddress(state: string, rng: Rng): Address {
  const info = STATES.get(state);
  if (!info) throw new Error(`unknown state ${state}`);
  const prefix = info.prefixes[rng.int(info.prefixes.length)];
  return {
    state,
    zip: `${String(prefix).padStart(3, '0')}${String(rng.int(100)).padStart(2, '0')}`,
    zone: info.row.zoneExceptions?.[prefix] ?? info.row.zone,
  };
}

/** A valid 10-digit number with an area code of `state` (exchange [2-9]XX, not N11, not 555). */
export function drawNumberInState(state: string, rng: Rng): string {
  const codes = STATES.get(state)!.row.areaCodes;
  const area = codes[rng.int(codes.length)];
  let exchange: number;
  do exchange = 200 + rng.int(800);
  while (exchange % 100 === 11 || exchange === 555);
  return `${area}${exchange}${String(rng.int(10_000)).padStart(4, '0')}`;
}

/**
 * `YYYY-MM-DDT` and the UTC offset (`-05:00`) of `zone` on `day`, cached. The offset is taken at 20:00 UTC
 * (midday in every US zone): DST changes at 02:00 local, before any contact hour.
 */
export class LocalDays {
  private readonly cache = new Map<number, { prefix: string; offset: string }>();
  private readonly formats = new Map<Zone, Intl.DateTimeFormat>();

  of(zone: Zone, day: number): { prefix: string; offset: string } {
    const key = day * ZONES.length + ZONES.indexOf(zone);
    let entry = this.cache.get(key);
    if (!entry) {
      let format = this.formats.get(zone);
      if (!format) {
        format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
        this.formats.set(zone, format);
      }
      const name = format.formatToParts(new Date(day * 86_400_000 + 20 * 3_600_000)).find((part) => part.type === 'timeZoneName')!.value;
      entry = { prefix: `${isoDate(day)}T`, offset: name === 'GMT' ? '+00:00' : name.slice(3) };
      this.cache.set(key, entry);
    }
    return entry;
  }
}

export type { Zone };
