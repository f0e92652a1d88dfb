import type { ContactFilter } from './decision.ts';

/**
 * The drop filters that need only the customer-facts record (§6.3). The compliance filters that
 * need the rule table (frequency caps, calling windows) come with the daily workflow and are
 * appended after these.
 */

/** A phone or email named by an active suppression-feed entry; the reason is the feed's. */
export const suppressionFeedFilter: ContactFilter = {
  name: 'suppression_feed',
  forList: () => (contact) => contact.facts.suppression_reason,
};

/** Calls: WRONG_NUMBER or DISCONNECTED dispositions on the number within 90 days at or over the configured thresholds. */
export const badNumberFilter: ContactFilter = {
  name: 'bad_number',
  forList: (list, { config }) => {
    if (list.channel !== 'call') return null;
    const { wrong_number_count: wrongNumbers, disconnected_count: disconnected } = config.bad_number;
    return ({ facts }) => (facts.wrong_number_count_90d >= wrongNumbers || facts.disconnected_count_90d >= disconnected ? 'BAD_NUMBER' : null);
  },
};

/** SMS: can_send_sms (§4) must be true; an opt-out (STOP) revokes consent from the next run on (FCC 24-24). */
export const smsConsentFilter: ContactFilter = {
  name: 'sms_consent',
  forList: (list) => (list.channel !== 'sms' ? null : ({ facts }) => (facts.can_send_sms !== true || facts.opted_out ? 'NO_SMS_CONSENT' : null)),
};

/** Email: an unsubscribe (CAN-SPAM) or a bounce removes the address. */
export const emailStatusFilter: ContactFilter = {
  name: 'email_status',
  forList: (list) => (list.channel !== 'email' ? null : ({ facts }) => (facts.opted_out ? 'EMAIL_OPT_OUT' : facts.bounced ? 'EMAIL_BOUNCED' : null)),
};

export const FACT_CONTACT_FILTERS: readonly ContactFilter[] = [suppressionFeedFilter, badNumberFilter, smsConsentFilter, emailStatusFilter];
