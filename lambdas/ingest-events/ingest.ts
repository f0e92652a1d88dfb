import { recordOptOut } from '../../adapters/consent-store.ts';
import { recordCallAttempt } from '../../adapters/dial-gate-store.ts';
import { archiveOptOut } from '../../adapters/event-archive.ts';
import type { DialerEvent } from '../../domain/api/events.ts';

/** What an ingest did: calls counted, calls already counted (the same event again), opt-outs recorded. */
export interface IngestCounts {
  callsCounted: number;
  callsAlreadyCounted: number;
  optOuts: number;
}

/**
 * Applies validated events (domain/api/events.ts), one after the other: a call attempt is counted once toward its
 * account's day; an SMS opt-out marks the number opted out for can_send_sms at once; both kinds of opt-out are
 * archived for the opt-out register. Every write is idempotent, so a batch retried after a failure counts nothing twice.
 */
export async function ingestEvents(events: readonly DialerEvent[]): Promise<IngestCounts> {
  const counts: IngestCounts = { callsCounted: 0, callsAlreadyCounted: 0, optOuts: 0 };
  for (const event of events) {
    if (event.type === 'call_attempt') {
      if ((await recordCallAttempt(event)) === 'counted') counts.callsCounted += 1;
      else counts.callsAlreadyCounted += 1;
      continue;
    }
    if (event.type === 'sms_opt_out') await recordOptOut(event.phone, event.day);
    await archiveOptOut(event);
    counts.optOuts += 1;
  }
  return counts;
}
