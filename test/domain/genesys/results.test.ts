import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { localDateTime } from '../../../domain/compliance/local-time.ts';
import {
  conversationResults,
  dispositionsFeedText,
  dncOptOuts,
  parseWrapUpMapping,
  reconcileList,
  type AnalyticsConversation,
  type PulledList,
  type WrapUpMapping,
} from '../../../domain/genesys/results.ts';

const mapping: WrapUpMapping = {
  codes: {
    'ININ-OUTBOUND-NO-ANSWER': 'NO_ANSWER',
    'ININ-OUTBOUND-RULE-SKIPPED': 'NOT_DIALED',
    'Right Party Contact': 'RIGHT_PARTY_CONTACT',
    'Do Not Call': 'OPT_OUT',
  },
  sms_without_wrap_up: 'DELIVERED',
};
const callList: PulledList = {
  setName: 'S',
  listName: 'CALLS',
  channel: 'call',
  purpose: 'collections',
  contactListId: 'list-call',
  contacts: new Map([
    ['P1', { accountNumber: '1000000000000001', phones: new Map([['+13125550001', 'America/Los_Angeles']]) }],
    ['P2', { accountNumber: '1000000000000002', phones: new Map([['+13125550002', 'America/Chicago']]) }],
  ]),
};

function conversation(
  id: string,
  contact: string,
  wrapUps: { end: string; code: string; agent?: boolean }[],
  start = '2026-11-20T18:00:00Z',
  list = 'list-call',
): AnalyticsConversation {
  return {
    conversationId: id,
    conversationStart: start,
    participants: [
      {
        purpose: 'customer',
        sessions: [
          {
            mediaType: 'voice',
            dnis: 'tel:+13125550001',
            outboundContactId: contact,
            outboundContactListId: list,
            segments: wrapUps.filter((w) => !w.agent).map((w) => ({ segmentType: 'wrapup', segmentEnd: w.end, wrapUpCode: w.code })),
          },
        ],
      },
      ...(wrapUps.some((w) => w.agent)
        ? [
            {
              purpose: 'agent',
              sessions: [{ segments: wrapUps.filter((w) => w.agent).map((w) => ({ segmentType: 'wrapup', segmentEnd: w.end, wrapUpCode: w.code })) }],
            },
          ]
        : []),
    ],
  };
}

describe('conversationResults', () => {
  it('takes the wrap-up code given last, by its id → name, and writes the attempt in the number’s own zone', () => {
    // Prepare: the dialer's code first, then the agent's (by id)
    const names = new Map([['uuid-rpc', 'Right Party Contact']]);
    const conversations = [
      conversation('c1', 'P1', [
        { end: '2026-11-20T18:01:00Z', code: 'ININ-OUTBOUND-NO-ANSWER' },
        { end: '2026-11-20T18:05:00Z', code: 'uuid-rpc', agent: true },
      ]),
    ];
    // Act
    const result = conversationResults(conversations, [callList], names, mapping);
    // Assess
    expect(result.rows).toEqual([
      {
        payoffuid: 'P1',
        account_number: '1000000000000001',
        channel: 'call',
        contact_value: '+13125550001',
        attempted_at: '2026-11-20T10:00:00-08:00',
        disposition: 'RIGHT_PARTY_CONTACT',
        is_conversation: 'Y',
        purpose: 'collections',
      },
    ]);
  });

  it('writes no attempt for a call the dialer did not place; counts an unmapped code as an attempt (a conversation only when an agent joined)', () => {
    // Prepare
    const conversations = [
      conversation('c1', 'P1', [{ end: '2026-11-20T18:01:00Z', code: 'ININ-OUTBOUND-RULE-SKIPPED' }]),
      conversation('c2', 'P1', [{ end: '2026-11-20T18:01:00Z', code: 'ININ-OUTBOUND-SOMETHING-NEW' }]),
      conversation('c3', 'P2', [{ end: '2026-11-20T18:01:00Z', code: 'uuid-ptp', agent: true }]),
      conversation('c4', 'P2', []),
    ];
    // Act
    const result = conversationResults(conversations, [callList], new Map([['uuid-ptp', 'Promise To Pay']]), mapping);
    // Assess
    expect(result.notDialed).toBe(1);
    expect(result.unmapped).toEqual({ 'ININ-OUTBOUND-SOMETHING-NEW': 1, 'Promise To Pay': 1, '(no wrap-up code)': 1 });
    expect(result.rows.map((row) => [row.payoffuid, row.disposition, row.is_conversation])).toEqual([
      ['P1', 'UNMAPPED', 'N'],
      ['P2', 'UNMAPPED', 'N'],
      ['P2', 'UNMAPPED', 'Y'],
    ]);
  });

  it('keeps the attempt of a customer not exported to the list, without account (the run attributes it by payoffuid), and ignores other lists', () => {
    // Act
    const result = conversationResults(
      [conversation('c1', 'P9', [{ end: '2026-11-20T18:01:00Z', code: 'ININ-OUTBOUND-NO-ANSWER' }]), conversation('c2', 'P1', [], undefined, 'list-other')],
      [callList],
      new Map(),
      mapping,
    );
    // Assess
    expect(result.notExported).toBe(1);
    expect(result.rows).toEqual([expect.objectContaining({ payoffuid: 'P9', account_number: '', attempted_at: '2026-11-20T13:00:00-05:00' })]);
  });

  it('gives the same rows in the same order however the conversations arrive', () => {
    const conversations = ['P1', 'P2', 'P1', 'P2', 'P1'].map((contact, index) =>
      conversation(
        `c${index}`,
        contact,
        [{ end: '2026-11-20T18:01:00Z', code: index % 2 ? 'Do Not Call' : 'ININ-OUTBOUND-NO-ANSWER' }],
        `2026-11-20T1${index}:00:00Z`,
      ),
    );
    const expected = conversationResults(conversations, [callList], new Map(), mapping).rows;
    fc.assert(
      fc.property(fc.shuffledSubarray(conversations, { minLength: conversations.length }), (shuffled) => {
        expect(conversationResults(shuffled, [callList], new Map(), mapping).rows).toEqual(expected);
      }),
    );
  });
});

describe('dispositionsFeedText', () => {
  const row = {
    payoffuid: 'P1',
    account_number: '',
    channel: 'call',
    contact_value: '+13125550001',
    attempted_at: '2026-11-20T10:00:00-08:00',
    disposition: 'NO_ANSWER',
    is_conversation: 'N',
    purpose: 'collections',
  };

  it('writes the feed header and the rows, |-delimited with \\n ends, an empty field for a missing value', () => {
    expect(dispositionsFeedText([row])).toBe(
      'payoffuid|account_number|channel|contact_value|attempted_at|disposition|is_conversation|purpose\nP1||call|+13125550001|2026-11-20T10:00:00-08:00|NO_ANSWER|N|collections\n',
    );
  });

  it('refuses a value the feed cannot carry, naming the row and the column only', () => {
    expect(() => dispositionsFeedText([row, { ...row, payoffuid: 'P|2' }])).toThrow(
      'disposition row 2: payoffuid holds a | or a line end, which the feed cannot carry',
    );
  });
});

describe('dncOptOuts', () => {
  it('finds the numbers exported today on a call list that are on the DNC list now, with every account holding them', () => {
    const second: PulledList = {
      ...callList,
      listName: 'CALLS_2',
      contactListId: 'list-2',
      contacts: new Map([['P3', { accountNumber: '1000000000000003', phones: new Map([['+13125550001', 'America/Chicago']]) }]]),
    };
    const sms: PulledList = {
      ...callList,
      channel: 'sms',
      contactListId: 'list-sms',
      contacts: new Map([['P4', { accountNumber: '1000000000000004', phones: new Map([['+13125550004', 'America/Chicago']]) }]]),
    };
    expect(dncOptOuts([callList, second, sms], ['+13125550001', '+13125550004', '+19995550000'])).toEqual([
      { phone: '+13125550001', accounts: ['1000000000000001', '1000000000000003'] },
    ]);
  });
});

describe('reconcileList', () => {
  it('matches a contact list holding exactly the exported customers, and counts the missing and the extra otherwise', () => {
    expect(reconcileList(callList, ['P2', 'P1'])).toBeUndefined();
    expect(reconcileList(callList, ['P1', 'P7', 'P8'])).toEqual({
      setName: 'S',
      listName: 'CALLS',
      contactListId: 'list-call',
      exported: 2,
      imported: 3,
      missing: 1,
      extra: 2,
    });
  });
});

describe('parseWrapUpMapping', () => {
  it('reads the shipped mapping', () => {
    const mapped = parseWrapUpMapping(readFileSync(new URL('../../../config/genesys-wrap-up-codes.yaml', import.meta.url), 'utf8'), 'shipped');
    expect(mapped.codes['ININ-OUTBOUND-MACHINE']).toBe('VOICEMAIL');
    expect(mapped.sms_without_wrap_up).toBe('DELIVERED');
  });

  it('names the file and the path of a disposition that is not ours', () => {
    expect(() => parseWrapUpMapping('codes:\n  Busy: BUSYISH\nsms_without_wrap_up: DELIVERED\n', 'codes.yaml')).toThrow(/^codes\.yaml: .*\n.*codes\.Busy/);
  });
});

describe('localDateTime', () => {
  it('writes the wall clock and the offset of the zone at that instant, across a DST change', () => {
    expect(localDateTime(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
    expect(localDateTime(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00');
    expect(localDateTime(Date.parse('2026-07-01T12:00:00.999Z'), 'Asia/Kolkata')).toBe('2026-07-01T17:30:00+05:30');
  });
});
