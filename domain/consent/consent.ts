/** Gold `phone_consent` row (§4), as stored in the lake and in the DynamoDB PhoneConsent table. */
export interface PhoneConsentRow {
  account_number: string;
  phone_number: string;
  /** `MOBILE` for the client's `CELL`. */
  phone_type: 'MOBILE' | 'HOME' | 'WORK' | 'OTHER';
  phone_status: 'ACTIVE' | 'INACTIVE' | 'DISCONNECTED';
  phone_technology: 'WIRELESS' | 'LANDLINE' | 'VOIP';
  /** 1–100, the client's quality score; null when the export leaves it empty. */
  quality_score: number | null;
  phone_source: 'CLIENT' | 'CONSUMER' | 'THIRD_PARTY' | 'OTHER';
  has_sms_consent: boolean | null;
  sms_consent_updated_at: string | null;
  is_deleted: boolean;
  delete_type: 'hard_delete' | 'soft_delete' | null;
  deleted_at: string | null;
  as_of_date: string;
}

export type SmsDenialReason = 'NOT_FOUND' | 'SOURCE_NOT_CLIENT' | 'DELETED' | 'CONSENT_WITHDRAWN' | 'OPTED_OUT';

export interface SmsDecision {
  canSendSms: boolean;
  reasons: SmsDenialReason[];
}

/**
 * §4: true only when the row exists, the source is CLIENT, the phone is not deleted, consent is true or
 * unanswered (null) and the number is not in the opt-out register (`optedOut`). Every failing condition is
 * reported, in a fixed order.
 */
export function decideSms(row: Pick<PhoneConsentRow, 'phone_source' | 'is_deleted' | 'has_sms_consent'> | undefined, optedOut = false): SmsDecision {
  const reasons: SmsDenialReason[] = [];
  if (!row) reasons.push('NOT_FOUND');
  else {
    if (row.phone_source !== 'CLIENT') reasons.push('SOURCE_NOT_CLIENT');
    if (row.is_deleted) reasons.push('DELETED');
    if (row.has_sms_consent === false) reasons.push('CONSENT_WITHDRAWN');
  }
  if (optedOut) reasons.push('OPTED_OUT');
  return { canSendSms: reasons.length === 0, reasons };
}

/** Account number from the legacy consumer id: 16 digits followed by `P`. */
export const ACCOUNT_NUMBER = /^[0-9]{16}$/;
export const LEGACY_CONSUMER_ID = /^[0-9]{16}P$/;

/**
 * One line of the consent changes file (JSON Lines, gzip) that the consent load writes to DynamoDB:
 * `new` and `changed` rows are upserted, `gone` rows (in yesterday's gold, not in today's) deleted.
 */
export type ConsentChange = PhoneConsentRow & { change_type: 'new' | 'changed' | 'gone' };
