import { describe, expect, it } from 'vitest';
import { parseEvent, parseEventsText } from '../../../domain/api/events.ts';

const call = {
  type: 'call_attempt',
  account: '1000000000000001',
  phone: '(212) 555-0142',
  at: '2026-11-20T10:15:00-05:00',
  list: 'collections/early',
  conversation: false,
};

describe('dialer events (domain/api/events.ts)', () => {
  it('normalises a call attempt: E.164 phone, UTC instant, the day in America/New_York, an id of (type, account, phone, instant)', () => {
    const result = parseEvent(call);

    expect(result).toMatchObject({ ok: true, event: { type: 'call_attempt', phone: '+12125550142', at: '2026-11-20T15:15:00.000Z', day: '2026-11-20' } });
    // The same instant written in another offset and the phone in another format: the same event.
    const again = parseEvent({ ...call, phone: '+1 212 555 0142', at: '2026-11-20T15:15:00Z' });
    expect(again.ok && result.ok && again.event.id === result.event.id).toBe(true);
    const later = parseEvent({ ...call, at: '2026-11-20T15:16:00Z' });
    expect(later.ok && result.ok && later.event.id !== result.event.id).toBe(true);
  });

  it('puts a late-evening attempt on its Eastern day, not its UTC day', () => {
    const result = parseEvent({ ...call, at: '2026-11-21T03:30:00Z' });

    expect(result).toMatchObject({ ok: true, event: { day: '2026-11-20' } });
  });

  it('reads an email opt-out in lower case', () => {
    expect(parseEvent({ type: 'email_opt_out', account: '1000000000000001', email: ' Ann.Lee@Example.COM ', at: '2026-11-20T10:15:00-05:00' })).toMatchObject({
      ok: true,
      event: { email: 'ann.lee@example.com' },
    });
  });

  it('names each problem by its field without echoing the values', () => {
    const result = parseEvent({ type: 'call_attempt', account: '12', phone: '555-0142', at: '2026-11-20 10:15', list: '' });

    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'account: expected 16 digits',
        expect.stringMatching(/^phone: not a valid US phone number/),
        expect.stringMatching(/^at: expected an ISO-8601 date-time with offset/),
        'list: expected a list name',
        'conversation: expected true or false',
      ]),
    );
    expect(problems.join(' ')).not.toContain('555-0142');
    expect(parseEvent({ type: 'sms_opt_in', account: '1000000000000001' })).toEqual({
      ok: false,
      problems: ['type: expected call_attempt, sms_opt_out or email_opt_out'],
    });
  });

  it('reads JSON Lines with line numbers and a JSON array with indexes', () => {
    const lines = [JSON.stringify(call), '', 'not json', JSON.stringify({ ...call, account: 'x' })].join('\n');

    const fromLines = parseEventsText(lines);
    const fromArray = parseEventsText(JSON.stringify([call, { ...call, phone: '' }]));

    expect(fromLines.events).toHaveLength(1);
    expect(fromLines.rejected).toEqual([
      { position: 3, problems: ['line: not valid JSON'] },
      { position: 4, problems: ['account: expected 16 digits'] },
    ]);
    expect(fromArray.events).toHaveLength(1);
    expect(fromArray.rejected).toEqual([{ position: 1, problems: ['phone: not a valid US phone number (EMPTY)'] }]);
  });
});
