import { type Rng, pickWith, weighted, type Weighted } from './random.ts';

/**
 * Phone numbers of the generated world and the ways people type them.
 *
 * Numbers are valid NANP (area code and exchange [2-9]XX, neither N11; exchange 555 avoided)
 * over real US area codes: a spread across all states, with more codes for populous states.
 * The full area-code table (state, time zone) is reference data shipped separately.
 */
export const AREA_CODES: readonly number[] = [
  212,
  718,
  917,
  646,
  347,
  516,
  914,
  716,
  585, // NY
  213,
  310,
  415,
  408,
  510,
  619,
  714,
  818,
  916,
  949,
  559, // CA
  214,
  281,
  512,
  713,
  832,
  972,
  210,
  817,
  915, // TX
  305,
  407,
  813,
  904,
  954,
  561,
  786, // FL
  312,
  773,
  630,
  847,
  215,
  412,
  267,
  216,
  614,
  513, // IL, PA, OH
  404,
  678,
  770,
  704,
  919,
  336,
  313,
  248,
  616, // GA, NC, MI
  201,
  973,
  732,
  703,
  757,
  804,
  206,
  425,
  509, // NJ, VA, WA
  480,
  602,
  520,
  617,
  508,
  615,
  901,
  317,
  314,
  816, // AZ, MA, TN, IN, MO
  410,
  301,
  414,
  303,
  720,
  612,
  651,
  803,
  843,
  205, // MD, WI, CO, MN, SC, AL
  504,
  225,
  502,
  503,
  405,
  203,
  801,
  702,
  515,
  501, // LA, KY, OR, OK, CT, UT, NV, IA, AR
  601,
  316,
  505,
  402,
  304,
  208,
  808,
  603,
  207,
  401, // MS, KS, NM, NE, WV, ID, HI, NH, ME, RI
  406,
  302,
  605,
  701,
  907,
  202,
  802,
  307, // MT, DE, SD, ND, AK, DC, VT, WY
];

/** A random valid 10-digit national number. */
export function drawNationalNumber(rng: Rng): string {
  const area = AREA_CODES[rng.int(AREA_CODES.length)];
  let exchange: number;
  do exchange = 200 + rng.int(800);
  while (exchange % 100 === 11 || exchange === 555);
  return `${area}${exchange}${String(rng.int(10_000)).padStart(4, '0')}`;
}

/** Ways the same number is typed (all normalise to the same E.164). */
export type PhoneStyle = 'PLAIN' | 'PAREN' | 'PAREN_TIGHT' | 'DASH' | 'DOT' | 'INTL_SPACE' | 'E164' | 'ELEVEN' | 'ONE_DASH';

export function formatPhone(national: string, style: PhoneStyle): string {
  const a = national.slice(0, 3);
  const e = national.slice(3, 6);
  const l = national.slice(6);
  switch (style) {
    case 'PLAIN':
      return national;
    case 'PAREN':
      return `(${a}) ${e}-${l}`;
    case 'PAREN_TIGHT':
      return `(${a})${e}-${l}`;
    case 'DASH':
      return `${a}-${e}-${l}`;
    case 'DOT':
      return `${a}.${e}.${l}`;
    case 'INTL_SPACE':
      return `+1 ${a} ${e} ${l}`;
    case 'E164':
      return `+1${national}`;
    case 'ELEVEN':
      return `1${national}`;
    case 'ONE_DASH':
      return `1-${a}-${e}-${l}`;
  }
}

/** Style mix per source system: the maintenance system stores mostly clean digits, people type anything. */
export const STYLE_MIX = {
  nonFin: weighted<PhoneStyle>([
    ['PLAIN', 55],
    ['PAREN', 15],
    ['DASH', 12],
    ['DOT', 5],
    ['E164', 5],
    ['ELEVEN', 4],
    ['INTL_SPACE', 2],
    ['ONE_DASH', 2],
  ]),
  supplfwd: weighted<PhoneStyle>([
    ['PAREN', 25],
    ['DASH', 20],
    ['PLAIN', 20],
    ['DOT', 10],
    ['INTL_SPACE', 10],
    ['ELEVEN', 10],
    ['E164', 5],
  ]),
  enrollment: weighted<PhoneStyle>([
    ['PAREN', 28],
    ['DASH', 22],
    ['DOT', 15],
    ['INTL_SPACE', 10],
    ['PLAIN', 10],
    ['ELEVEN', 8],
    ['PAREN_TIGHT', 4],
    ['ONE_DASH', 3],
  ]),
} satisfies Record<string, Weighted<PhoneStyle>>;

/** Share of typed numbers with stray spaces (leading, trailing or inside). */
export const STRAY_SPACE_RATE = 0.03;

/**
 * The number as typed in one source: `u` (uniform in [0, 1)) picks the style, and a second
 * independent draw `v` decides on stray spaces.
 */
export function typePhone(national: string, mix: Weighted<PhoneStyle>, u: number, v: number): string {
  const text = formatPhone(national, pickWith(mix, u));
  if (v >= STRAY_SPACE_RATE) return text;
  const where = Math.floor((v / STRAY_SPACE_RATE) * 3);
  if (where === 0) return ` ${text}`;
  if (where === 1) return `${text}  `;
  return `${text.slice(0, -4)} ${text.slice(-4)}`;
}
