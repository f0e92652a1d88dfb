/**
 * The real-time dial gate (SPEC §9 `GET /v1/can-call`, docs/api.md): may this number on this account be dialled
 * at this instant? From what the morning run published for the day (the number's calling window, the account's
 * calls_allowed_today) and what the events counted since (attempts, conversations), and the opt-out register.
 * Fails closed: no published day, a number on no call list of the day, or no budget is a refusal.
 */
export type CallDenialReason = 'NO_PUBLISHED_DAY' | 'NOT_ON_TODAYS_LISTS' | 'OUTSIDE_CALL_WINDOW' | 'NO_CALL_BUDGET' | 'CONVERSATION_TODAY' | 'OPTED_OUT';

/** What the dial gate holds for one (account, phone) on the published day. */
export interface DialGateDay {
  /** The intersection of the number's windows over the day's call lists (ISO-8601 UTC); undefined when on none. */
  window: { start: string; end: string } | undefined;
  /**
   * The account's calls_allowed_today from the morning run: null when the run published that no cap applies to
   * its call lists (e.g. servicing lists outside the capped states), undefined when it published nothing.
   */
  callsAllowedToday: number | null | undefined;
  /** Calls placed on the account today, counted from events. */
  attempts: number;
  /** Of them, those that reached a conversation. */
  conversations: number;
}

export interface CallDecision {
  canCall: boolean;
  reasons: CallDenialReason[];
  windowStartUtc: string | null;
  windowEndUtc: string | null;
  /** Null when no cap applies to the account's call lists today. */
  callsRemainingToday: number | null;
}

/**
 * `day` is undefined when no run has loaded the gate. Every failing condition is reported, in a fixed order. The
 * budget left is calls_allowed_today minus the calls placed today (no limit when no cap applies), and none after a
 * conversation today (Regulation F: no call within 7 days after a telephone conversation, the conversation's day
 * included). An account the run published no budget for gets none (fail closed).
 */
export function decideCall(day: DialGateDay | undefined, optedOut: boolean, at: Date): CallDecision {
  const reasons: CallDenialReason[] = [];
  if (day === undefined) {
    return {
      canCall: false,
      reasons: optedOut ? ['NO_PUBLISHED_DAY', 'OPTED_OUT'] : ['NO_PUBLISHED_DAY'],
      windowStartUtc: null,
      windowEndUtc: null,
      callsRemainingToday: 0,
    };
  }
  const { window } = day;
  if (window === undefined) reasons.push('NOT_ON_TODAYS_LISTS');
  else if (!(Date.parse(window.start) <= at.getTime() && at.getTime() < Date.parse(window.end))) reasons.push('OUTSIDE_CALL_WINDOW');
  const remaining = day.conversations > 0 ? 0 : day.callsAllowedToday === null ? null : Math.max(0, (day.callsAllowedToday ?? 0) - day.attempts);
  if (day.conversations > 0) reasons.push('CONVERSATION_TODAY');
  else if (remaining === 0) reasons.push('NO_CALL_BUDGET');
  if (optedOut) reasons.push('OPTED_OUT');
  return {
    canCall: reasons.length === 0,
    reasons,
    windowStartUtc: window?.start ?? null,
    windowEndUtc: window?.end ?? null,
    callsRemainingToday: remaining,
  };
}
