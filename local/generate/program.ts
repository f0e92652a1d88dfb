/**
 * The servicer's current program (SPEC §5.1) needs situations a random population of a few thousand accounts
 * does not hold every day: every exact days-past-due value of the SMS lists in both halves of the partner
 * split, payments due in exactly 1 and 4 days with and without autopay, charge-offs 0–8 days old, and each
 * suppression of §5.1 on a customer some list would otherwise take. Slots [RESERVED_SLOTS, RESERVED_SLOTS +
 * PROGRAM_SLOTS) hold them (docs/generator.md, "The §5.1 program"): each a *program role*, fixed by the slot, that
 * customer-profile.ts applies to whatever account the slot holds.
 *
 * A cyclic loan (`cycle`) is delinquent with days past due 1 + ((day + phase) mod 150): it grows by one a day,
 * is charged off at 120 (the charge-off date is the day it reached 120, days past due keep counting), and after
 * 150 it starts over as a new delinquency (once every 150 days per slot). With phases spread over the cycle every
 * value is held on every day; a window of 9 days sees each slot's days past due advance day by day.
 */

export const PROGRAM_CYCLE_DAYS = 150;
/** Days past due at which a cyclic loan is charged off. */
export const PROGRAM_CHARGE_OFF_DPD = 120;

export type ProgramScenario =
  | 'BANKRUPTCY_RULE'
  | 'CEASE_AND_DESIST_RULE'
  | 'EXPIRED_RULE'
  | 'NEXT_WORKABLE'
  | 'PENDING_PAYMENT'
  | 'LOAN_MODIFICATION'
  | 'ZIP_DISASTER'
  | 'ZIP_DISASTER_OVER'
  | 'INDIVIDUAL_SUPPRESSION'
  | 'PLACEMENT'
  | 'DNC_PHONE'
  | 'DNC_TEXT'
  | 'DNC_LETTER'
  | 'DNC_EMAIL'
  | 'STATE_MN'
  | 'STATE_MA'
  | 'STATE_DC'
  | 'DEBT_SETTLEMENT';

export interface ProgramRole {
  /** Cyclic delinquency with this phase, or a current loan whose due-date cycle has this residue (days until due = (phase - day) mod 30). */
  loan: { kind: 'cycle'; phase: number } | { kind: 'current'; dueResidue: number };
  portfolio: 'BLUE_FCU' | 'USALLIANCE' | 'MSU_FCU' | 'SST' | 'DECLINE';
  /** The 16th character of the payoffuid: 0–7 internal half, 8–f the partner's. */
  char16: number;
  /** The 17th and 12th characters (the phone test's groups). */
  char17: number;
  char12: number;
  autopay: boolean;
  /** Originated after 2023-01-23 (the TruStage lists) or before. */
  recentOrigination: boolean;
  /** A charge-off with recoveries paid (cyclic loans). */
  recoveries: boolean;
  scenario: ProgramScenario | null;
  /** Copy number of the scenario (0-based): its variant (e.g. the next workable date's offset). */
  copy: number;
  /** Address state, when the scenario fixes it. */
  state: string | null;
}

const PORTFOLIO_ROTATION = ['BLUE_FCU', 'USALLIANCE', 'DECLINE'] as const;

function cycle(phase: number): ProgramRole['loan'] {
  return { kind: 'cycle', phase: ((phase % PROGRAM_CYCLE_DAYS) + PROGRAM_CYCLE_DAYS) % PROGRAM_CYCLE_DAYS };
}

/** Scenarios, their copies and the phases of the copies' cycles. */
const SCENARIOS: readonly [ProgramScenario, number, number][] = [
  // [scenario, copies, phase step]
  ['BANKRUPTCY_RULE', 3, 45],
  ['CEASE_AND_DESIST_RULE', 3, 45],
  ['EXPIRED_RULE', 3, 45],
  ['NEXT_WORKABLE', 4, 30],
  ['PENDING_PAYMENT', 4, 30],
  ['LOAN_MODIFICATION', 5, 25],
  ['ZIP_DISASTER', 3, 45],
  ['ZIP_DISASTER_OVER', 2, 60],
  ['INDIVIDUAL_SUPPRESSION', 3, 45],
  // Charged off (120–150 days past due) part of the cycle: spread over it.
  ['PLACEMENT', 5, 30],
  ['DNC_PHONE', 3, 45],
  ['DNC_TEXT', 3, 45],
  // Recovery Weekly takes charge-offs 0–7 days old on Tuesdays: one copy every 8 days of the cycle, so one always is.
  ['DNC_LETTER', 19, 8],
  ['DNC_EMAIL', 3, 45],
  ['STATE_MN', 3, 45],
  ['STATE_MA', 3, 45],
  ['STATE_DC', 3, 45],
  ['DEBT_SETTLEMENT', 3, 45],
];

function buildRoles(): ProgramRole[] {
  const roles: ProgramRole[] = [];
  const base = { autopay: false, recentOrigination: true, recoveries: false, scenario: null, copy: 0, state: null } as const;
  // Internal half, DECLINE (the Call List's DPD lists, every SMS DPD list, Remitter, GR Email, the charge-offs): every phase.
  for (let k = 0; k < PROGRAM_CYCLE_DAYS; k++) {
    roles.push({
      ...base,
      loan: cycle(k),
      portfolio: 'DECLINE',
      char16: k % 8,
      char17: k % 16,
      char12: (k * 7) % 16,
      autopay: k % 4 === 0,
      recentOrigination: k % 2 === 1,
      recoveries: k % 3 === 0,
    });
  }
  // Blue (BLUE_FCU) and Due Diligence (USALLIANCE, MSU_FCU), internal half.
  for (let k = 0; k < 15; k++) roles.push({ ...base, loan: cycle(k * 10 + 3), portfolio: 'BLUE_FCU', char16: k % 8, char17: (k * 5) % 16, char12: k % 16 });
  for (let k = 0; k < 16; k++) {
    roles.push({
      ...base,
      loan: cycle(k * 9 + 5),
      portfolio: k % 2 === 0 ? 'USALLIANCE' : 'MSU_FCU',
      char16: k % 8,
      char17: (k * 3) % 16,
      char12: (k * 11) % 16,
    });
  }
  // The partner's half (SIMM) and SST (both halves).
  for (let k = 0; k < 15; k++) {
    roles.push({ ...base, loan: cycle(k * 10 + 7), portfolio: PORTFOLIO_ROTATION[k % 3]!, char16: 8 + (k % 8), char17: k % 16, char12: k % 16 });
  }
  for (let k = 0; k < 15; k++)
    roles.push({ ...base, loan: cycle(k * 10 + 1), portfolio: 'SST', char16: k % 2 === 0 ? k % 8 : 8 + (k % 8), char17: k % 16, char12: k % 16 });
  // Current loans due in 0–29 days, each residue with and without autopay (Payment Reminder, Due Date, AUTOPAY).
  for (let k = 0; k < 60; k++) {
    roles.push({
      ...base,
      loan: { kind: 'current', dueResidue: k % 30 },
      portfolio: PORTFOLIO_ROTATION[k % 3]!,
      char16: k % 8,
      char17: k % 16,
      char12: k % 16,
      autopay: k >= 30,
    });
  }
  for (const [scenario, copies, step] of SCENARIOS) {
    for (let copy = 0; copy < copies; copy++) {
      const state = scenario === 'STATE_MN' ? 'MN' : scenario === 'STATE_MA' ? 'MA' : scenario === 'STATE_DC' ? 'DC' : null;
      roles.push({
        ...base,
        loan: cycle(copy * step + 2),
        portfolio: 'DECLINE',
        char16: copy % 8,
        char17: (copy * 3) % 13,
        char12: copy % 3,
        scenario,
        copy,
        state,
        recoveries: false,
      });
    }
  }
  return roles;
}

export const PROGRAM_ROLES: readonly ProgramRole[] = buildRoles();
export const PROGRAM_SLOTS = PROGRAM_ROLES.length;

/** Days past due of a cyclic loan on `day`: 1 … 150. */
export function cycleDaysPastDue(phase: number, day: number): number {
  return 1 + ((((day + phase) % PROGRAM_CYCLE_DAYS) + PROGRAM_CYCLE_DAYS) % PROGRAM_CYCLE_DAYS);
}

/** The payoffuid with its 12th, 16th and 17th characters (1-based, dashes counted) set to the role's. */
export function withProgramCharacters(payoffuid: string, role: Pick<ProgramRole, 'char12' | 'char16' | 'char17'>): string {
  const chars = [...payoffuid];
  chars[11] = role.char12.toString(16);
  chars[15] = role.char16.toString(16);
  chars[16] = role.char17.toString(16);
  return chars.join('');
}
