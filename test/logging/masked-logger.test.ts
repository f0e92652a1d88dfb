import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import fc from 'fast-check';
import { createLogger } from '../../adapters/logger.ts';

/**
 * The logger of every handler masks PII itself (domain/privacy/pii-masking.ts, docs/observability.md): what it
 * writes to stdout — the real Powertools Logger's output — holds no phone number, e-mail address or name.
 */
let stdout: MockInstance<typeof process.stdout.write>;
let stderr: MockInstance<typeof process.stderr.write>;
/** Powertools writes INFO records to stdout, WARN and ERROR to stderr; in order, each test logs to one and then the other. */
const written = () => [...stdout.mock.calls, ...stderr.mock.calls].map(([chunk]) => String(chunk)).join('');

beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function verboseLogger() {
  const logger = createLogger();
  logger.setLogLevel('DEBUG');
  return logger;
}

const PHONES = ['+12125551234', '(212) 555-1235', '212.555.1236', '212-555-1237', '2125551238', '12125551239', '1-212-555-1240', '+1 (212) 555-1241'];
const EMAILS = ['jane.doe@example.com', 'J.Smith+bills@Mail.Example.org'];
const NAMES = ['Jane', 'Doe', 'Jonathan', 'Smithers', 'Maria Lopez'];
const RUN_ID = '2026-11-20-0123456789ab';
const PAYOFFUID = '1a2b3c4d-1234-4567-8123-123456789012';

describe('the masked logger', () => {
  it('writes no phone number, e-mail address or name from the message, nested attributes, arrays and errors', () => {
    // Prepare
    const logger = verboseLogger();
    logger.appendKeys({ runId: RUN_ID, customer_name: 'Maria Lopez' });
    const cause = new Error(`lookup of ${PHONES[7]} failed`);
    const error = Object.assign(new Error(`cannot reach ${PHONES[0]} or ${EMAILS[0]}`, { cause }), { first_name: 'Jonathan' });
    // Act
    logger.info(`call ${PHONES.slice(0, 7).join(', ')}; write to ${EMAILS[0]}`, {
      payoffuid: PAYOFFUID,
      set_name: 'COLLECTIONS',
      list_name: 'EARLY_STAGE',
      counts: { customers: 400, contacts: 1234, account_digits: 1234567890123456 },
      customer: {
        first_name: 'Jane',
        LastName: 'Doe',
        'full-name': 'Jane Doe',
        contacts: [{ contact_value: PHONES[1], contact_type: 'mobile' }, { email: EMAILS[1] }, { phone: PHONES[4], note: `or ${PHONES[5]}` }],
      },
      names: ['Jonathan', 'Smithers'],
    });
    logger.error('step failed', error);
    logger.warn('nested failure', { failure: { attempt: 2, error } });
    // Assess
    const output = written();
    const records = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    for (const phone of PHONES) {
      expect(output).not.toContain(phone);
      expect(output).not.toContain(phone.replace(/\D/g, '').slice(-10));
    }
    for (const email of EMAILS) expect(output.toLowerCase()).not.toContain(email.toLowerCase());
    for (const name of NAMES) expect(output).not.toContain(name);
    // The non-PII survives: identifiers, list names, counts, the error's class and the level/service keys.
    expect(records[0]).toMatchObject({
      level: 'INFO',
      service: 'outbound',
      runId: RUN_ID,
      payoffuid: PAYOFFUID,
      set_name: 'COLLECTIONS',
      list_name: 'EARLY_STAGE',
      counts: { customers: 400, contacts: 1234, account_digits: 1234567890123456 },
      customer_name: '***',
      customer: {
        first_name: '***',
        LastName: '***',
        'full-name': '***',
        contacts: [{ contact_value: '********35', contact_type: 'mobile' }, { email: '***@***' }, { phone: '********38', note: 'or *********39' }],
      },
      names: ['***', '***'],
    });
    expect(records[0]!.message).toBe('call *********34, ********35, ********36, ********37, ********38, *********39, *********40; write to ***@***');
    expect(records[1]).toMatchObject({
      level: 'ERROR',
      error: {
        name: 'Error',
        message: 'cannot reach *********34 or ***@***',
        first_name: '***',
        cause: { name: 'Error', message: 'lookup of *********41 failed' },
      },
    });
    expect(records[2]).toMatchObject({ failure: { attempt: 2, error: { name: 'Error', message: 'cannot reach *********34 or ***@***' } } });
  });

  it('never writes a random E.164 number or e-mail address embedded in text', () => {
    const logger = verboseLogger();
    const e164 = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,14}$/)).map(([country, rest]) => `+${country}${rest}`);
    const word = fc.stringMatching(/^[A-Za-z:,;()]{0,8}$/);
    fc.assert(
      fc.property(e164, fc.emailAddress(), fc.array(word, { maxLength: 4 }), fc.array(word, { maxLength: 4 }), (phone, email, before, after) => {
        // Prepare
        stdout.mockClear();
        const text = [...before, phone, ...after, email].join(' ');
        // Act
        logger.info(text, { detail: `contact ${email} / ${phone}`, items: [text] });
        // Assess
        const output = written();
        expect(output).toContain('***@***');
        expect(output).not.toContain(phone.slice(1));
        expect(output.toLowerCase()).not.toContain(email.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });
});
