import { describe, expect, it } from 'vitest';
import { decideSms } from '../../domain/consent/consent.ts';

describe('can_send_sms rule (§4)', () => {
  const allowed = { phone_source: 'CLIENT', is_deleted: false, has_sms_consent: true } as const;

  it('allows a CLIENT phone, not deleted, with consent Y', () => {
    expect(decideSms(allowed)).toEqual({ canSendSms: true, reasons: [] });
  });

  it('allows a CLIENT phone with no explicit answer (null)', () => {
    expect(decideSms({ ...allowed, has_sms_consent: null })).toEqual({ canSendSms: true, reasons: [] });
  });

  it('denies an unknown pair with NOT_FOUND (fail closed)', () => {
    expect(decideSms(undefined)).toEqual({ canSendSms: false, reasons: ['NOT_FOUND'] });
  });

  it.each(['CONSUMER', 'THIRD_PARTY', 'OTHER'] as const)('denies source %s with SOURCE_NOT_CLIENT', (source) => {
    expect(decideSms({ ...allowed, phone_source: source })).toEqual({ canSendSms: false, reasons: ['SOURCE_NOT_CLIENT'] });
  });

  it('denies a deleted phone with DELETED', () => {
    expect(decideSms({ ...allowed, is_deleted: true })).toEqual({ canSendSms: false, reasons: ['DELETED'] });
  });

  it('denies withdrawn consent with CONSENT_WITHDRAWN', () => {
    expect(decideSms({ ...allowed, has_sms_consent: false })).toEqual({ canSendSms: false, reasons: ['CONSENT_WITHDRAWN'] });
  });

  it('reports every failing condition at once', () => {
    expect(decideSms({ phone_source: 'THIRD_PARTY', is_deleted: true, has_sms_consent: false })).toEqual({
      canSendSms: false,
      reasons: ['SOURCE_NOT_CLIENT', 'DELETED', 'CONSENT_WITHDRAWN'],
    });
  });
});
