import { describe, expect, it } from 'vitest';
import { decideCall, type DialGateDay } from '../../../domain/api/dial-gate.ts';

const window = { start: '2026-11-20T13:00:00.000Z', end: '2026-11-21T01:00:00.000Z' };
const day = (values: Partial<DialGateDay> = {}): DialGateDay => ({ window, callsAllowedToday: 2, attempts: 0, conversations: 0, ...values });
const noon = new Date('2026-11-20T17:00:00Z');

describe('the dial gate (domain/api/dial-gate.ts)', () => {
  it('allows a number inside its window with budget left, and says how much is left', () => {
    expect(decideCall(day({ attempts: 1 }), false, noon)).toEqual({
      canCall: true,
      reasons: [],
      windowStartUtc: window.start,
      windowEndUtc: window.end,
      callsRemainingToday: 1,
    });
  });

  it('refuses at the window end and before its start (the end is excluded)', () => {
    expect(decideCall(day(), false, new Date(window.end)).reasons).toEqual(['OUTSIDE_CALL_WINDOW']);
    expect(decideCall(day(), false, new Date('2026-11-20T12:59:59Z')).reasons).toEqual(['OUTSIDE_CALL_WINDOW']);
    expect(decideCall(day(), false, new Date(window.start)).canCall).toBe(true);
  });

  it('refuses when the attempts counted today use the budget up, and after a conversation today', () => {
    expect(decideCall(day({ attempts: 2 }), false, noon)).toMatchObject({ canCall: false, reasons: ['NO_CALL_BUDGET'], callsRemainingToday: 0 });
    expect(decideCall(day({ attempts: 5 }), false, noon).callsRemainingToday).toBe(0);
    expect(decideCall(day({ attempts: 1, conversations: 1 }), false, noon)).toMatchObject({
      canCall: false,
      reasons: ['CONVERSATION_TODAY'],
      callsRemainingToday: 0,
    });
  });

  it('fails closed: no loaded day, a number on no call list, an account without budget', () => {
    expect(decideCall(undefined, false, noon)).toMatchObject({ canCall: false, reasons: ['NO_PUBLISHED_DAY'], windowStartUtc: null });
    expect(decideCall(day({ window: undefined }), false, noon).reasons).toEqual(['NOT_ON_TODAYS_LISTS']);
    expect(decideCall(day({ callsAllowedToday: undefined }), false, noon).reasons).toEqual(['NO_CALL_BUDGET']);
  });

  it('lets the window alone limit an account no cap applies to (calls_allowed_today null), but not after a conversation', () => {
    expect(decideCall(day({ callsAllowedToday: null, attempts: 9 }), false, noon)).toMatchObject({ canCall: true, reasons: [], callsRemainingToday: null });
    expect(decideCall(day({ callsAllowedToday: null }), false, new Date(window.end)).reasons).toEqual(['OUTSIDE_CALL_WINDOW']);
    expect(decideCall(day({ callsAllowedToday: null, conversations: 1 }), false, noon)).toMatchObject({
      canCall: false,
      reasons: ['CONVERSATION_TODAY'],
      callsRemainingToday: 0,
    });
  });

  it('reports every failing condition in a fixed order, an opted-out number last', () => {
    expect(decideCall(day({ attempts: 2 }), true, new Date('2026-11-21T02:00:00Z')).reasons).toEqual(['OUTSIDE_CALL_WINDOW', 'NO_CALL_BUDGET', 'OPTED_OUT']);
  });
});
