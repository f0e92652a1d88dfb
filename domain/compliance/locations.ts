import type { ContactFacts, CustomerFacts } from '../campaigns/facts.ts';
import type { AreaCode, ReferenceData } from './reference-data.ts';

/**
 * Where a customer may be (Regulation F's "conflicting locations"): the address, and the area code
 * of each of the customer's own phones. The address's zones are its state's (every zone of a state
 * that spans several); the 3-digit ZIP prefix gives them only when the state is missing or unknown
 * (docs/compliance.md says why). Area codes outside the reference data, and toll-free codes,
 * locate nobody. Reference parties' phones are not the customer's locations; the phone being
 * called adds its own (KnownLocations.areaCode).
 */
export class KnownLocations {
  /** Bit mask over ReferenceData.zones of the customer's known locations. */
  zones = 0;
  /** USPS codes of the customer's known locations: the address's state, then the phones' (may repeat). */
  readonly states: string[] = [];
  private customer: CustomerFacts | null = null;
  private contact: ContactFacts | null = null;
  private contactAreaCode: AreaCode | undefined = undefined;

  constructor(private readonly reference: ReferenceData) {}

  /** Loads the locations of `customer`; consecutive calls for the same record (its contacts, its lists) reuse them. */
  of(customer: CustomerFacts): this {
    if (customer === this.customer) return this;
    this.customer = customer;
    this.states.length = 0;
    const { state, zip } = customer.customer;
    let zones = state === null ? undefined : this.reference.stateZones.get(state);
    if (zones === undefined && zip !== null && /^\d{5}/.test(zip)) zones = this.reference.zip3Zones.get(zip.slice(0, 3));
    this.zones = zones ?? 0;
    if (state !== null) this.states.push(state);
    for (const contact of customer.contacts) {
      if (contact.related_party_type !== 'customer') continue;
      const areaCode = this.areaCode(contact);
      if (areaCode === undefined) continue;
      this.zones |= areaCode.zones;
      if (areaCode.state !== null) this.states.push(areaCode.state);
    }
    return this;
  }

  /** The area code of a phone contact (E.164 `+1NPA…`); undefined for emails and codes the reference data lacks. */
  areaCode(contact: ContactFacts): AreaCode | undefined {
    // Both filters ask for the contact under check in turn: remember the last answer.
    if (contact === this.contact) return this.contactAreaCode;
    this.contact = contact;
    const value = contact.contact_value;
    this.contactAreaCode =
      contact.contact_type !== 'email' && contact.contact_type !== 'address' && value.length === 12 && value.startsWith('+1')
        ? this.reference.areaCodes.get(value.slice(2, 5))
        : undefined;
    return this.contactAreaCode;
  }
}
