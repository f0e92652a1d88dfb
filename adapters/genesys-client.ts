import { envNames, requireEnv } from '../config/environment.ts';
import { parseCsv } from '../domain/exports/csv.ts';
import type { GenesysContactListDefinition } from '../domain/exports/layout.ts';
import type { DncListDefinition, RuleSetDefinition } from '../domain/genesys/definitions.ts';
import type { ExistingContactList, ExistingDncList, ExistingRuleSet, GenesysOrgReader, GenesysOrgWriter } from '../domain/genesys/plan.ts';

/**
 * The Genesys Cloud Platform API calls of `outbound genesys plan|apply` and the daily push, over fetch
 * (docs/genesys.md lists them with their documented shapes):
 * - OAuth client credentials: `POST https://login.<env>/oauth/token` (Basic client id:secret);
 * - outbound contact lists (`/api/v2/outbound/contactlists`, by id and `?name=`), their contacts
 *   (`…/contacts/search`, `DELETE …/contacts?contactIds=`), the CSV upload
 *   (`POST https://apps.<env>/uploads/v2/contactlist`) and `…/importstatus`;
 * - rule sets (`/api/v2/outbound/rulesets`) and DNC lists (`/api/v2/outbound/dnclists`,
 *   `PATCH …/phonenumbers`, `…/export`).
 * 429, 5xx and network errors are retried with exponential backoff, `Retry-After` first — except for
 * the upload, which is not idempotent: only its 429 (refused, not processed) is retried, and an
 * upload whose answer is a 5xx or lost throws `GenesysOutcomeUnknownError` for the caller to
 * reconcile. A 401 renews the token once. Errors name the operation, status and Genesys's
 * `code: message` (and `contextId`), never the credentials, the token or contact data.
 */

export interface GenesysEndpoints {
  login: string;
  api: string;
  apps: string;
}

/**
 * `environment` is a Genesys Cloud region domain (`mypurecloud.com`, `usw2.pure.cloud`, …), whose
 * hosts are login./api./apps. — or an http(s) origin that serves all three (the local stand-in).
 */
export function genesysEndpoints(environment: string): GenesysEndpoints {
  if (/^https?:\/\//.test(environment)) {
    const origin = new URL(environment).origin;
    return { login: origin, api: origin, apps: origin };
  }
  if (!/^[a-z0-9.-]+\.[a-z]+$/.test(environment)) throw new Error(`not a Genesys Cloud environment domain: ${JSON.stringify(environment)}`);
  return { login: `https://login.${environment}`, api: `https://api.${environment}`, apps: `https://apps.${environment}` };
}

export interface GenesysCredentials {
  clientId: string;
  clientSecret: string;
}

export type GenesysContactList = ExistingContactList;

export type GenesysImportState = 'PENDING' | 'IN_PROGRESS' | 'FAILED' | 'COMPLETED';

export interface GenesysImportStatus {
  state: GenesysImportState;
  totalRecords?: number;
  completedRecords?: number;
  percentageComplete?: number;
  failureReason?: string;
}

/** A contact of a contact list (`DialerContact`): its id is the value of the upload's `contact-id-name` column. */
export interface GenesysContact {
  id: string;
  contactListId: string;
  data: Record<string, string>;
}

export class GenesysApiError extends Error {
  override name = 'GenesysApiError';
  constructor(
    readonly operation: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Genesys Cloud ${operation}: HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** A non-idempotent request whose outcome is unknown (5xx or no answer): it may have been processed. */
export class GenesysOutcomeUnknownError extends Error {
  override name = 'GenesysOutcomeUnknownError';
  constructor(operation: string, cause: string) {
    super(`Genesys Cloud ${operation}: outcome unknown (${cause})`);
  }
}

export interface GenesysClientOptions {
  endpoints: GenesysEndpoints;
  credentials: GenesysCredentials;
  /** Attempts per call, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff wait (default 1 s), doubled per retry, capped at 30 s. */
  baseDelayMs?: number;
  /** Injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_DELAY_MS = 30_000;
/** Renew a token this long before Genesys says it expires. */
const TOKEN_MARGIN_MS = 60_000;
/** Documented page and batch limits: listings and contact searches, contact deletes, DNC number patches. */
const PAGE_SIZE = 100;
const CONTACT_IDS_PER_DELETE = 100;
const PHONE_NUMBERS_PER_PATCH = 1_000;
const DNC_EXPORT_POLLS = 30;
/** Conversation details jobs: polls (2 s apart) before giving up, conversations per results page. */
const DETAILS_JOB_POLLS = 300;
const DETAILS_JOB_POLL_MS = 2_000;
const DETAILS_PAGE_SIZE = 1_000;
const DETAILS_JOB_ENDED = new Set(['FAILED', 'CANCELLED', 'EXPIRED']);

type Retry = 'retry' | 'not-idempotent';

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  json?: unknown;
  /** A form-encoded body (the token request). */
  text?: string;
  /** Built per attempt: a request body can be sent only once. */
  form?: () => FormData;
}

interface Listing<T> {
  entities?: T[];
  pageCount?: number;
  total?: number;
}

export class GenesysClient implements GenesysOrgReader, GenesysOrgWriter {
  private token: { value: string; expiresAt: number } | undefined;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GenesysClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  // Contact lists

  contactList(contactListId: string): Promise<GenesysContactList | undefined> {
    return this.found(
      this.json<GenesysContactList>('get contact list', { method: 'GET', url: this.outbound(`contactlists/${encodeURIComponent(contactListId)}`) }),
    );
  }

  contactListByName(name: string): Promise<GenesysContactList | undefined> {
    return this.byName<GenesysContactList>('list contact lists', 'contactlists', name);
  }

  createContactList(definition: GenesysContactListDefinition): Promise<{ id: string }> {
    return this.json('create contact list', { method: 'POST', url: this.outbound('contactlists'), json: definition });
  }

  async updateContactList(id: string, version: number, definition: GenesysContactListDefinition): Promise<void> {
    await this.call('update contact list', {
      method: 'PUT',
      url: this.outbound(`contactlists/${encodeURIComponent(id)}`),
      json: { ...definition, id, version },
    });
  }

  /** Every contact of the list, page by page (`POST …/contacts/search`). */
  async contacts(contactListId: string): Promise<GenesysContact[]> {
    const contacts: GenesysContact[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const page = await this.contactsPage(contactListId, pageNumber, PAGE_SIZE);
      contacts.push(...(page.entities ?? []));
      if (pageNumber >= (page.pageCount ?? 0)) return contacts;
    }
  }

  /** How many contacts the list holds. */
  async contactCount(contactListId: string): Promise<number> {
    return (await this.contactsPage(contactListId, 1, 1)).total ?? 0;
  }

  /** Removes these contacts (`DELETE …/contacts?contactIds=`, 100 per call); removing is safe to repeat. */
  async removeContacts(contactListId: string, contactIds: readonly string[]): Promise<void> {
    for (let start = 0; start < contactIds.length; start += CONTACT_IDS_PER_DELETE) {
      const ids = contactIds
        .slice(start, start + CONTACT_IDS_PER_DELETE)
        .map(encodeURIComponent)
        .join(',');
      await this.call('remove contacts', {
        method: 'DELETE',
        url: this.outbound(`contactlists/${encodeURIComponent(contactListId)}/contacts?contactIds=${ids}`),
      });
    }
  }

  /**
   * Uploads a contact-list CSV, imported asynchronously (see `importStatus`); contacts whose id (the
   * `contactIdColumn` value) the list holds are updated in place, others added. Not retried on a 5xx
   * or a lost answer: throws GenesysOutcomeUnknownError instead.
   */
  async uploadContactList(contactListId: string, csv: Uint8Array, fileName: string, contactIdColumn: string): Promise<{ correlationId: string | null }> {
    const form = () => {
      const body = new FormData();
      body.append('id', contactListId);
      body.append('fileType', 'contactlist');
      body.append('contact-id-name', contactIdColumn);
      body.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
      return body;
    };
    const response = await this.call(
      'upload contact list',
      { method: 'POST', url: `${this.options.endpoints.apps}/uploads/v2/contactlist`, form },
      'not-idempotent',
    );
    const body = (await response.json().catch(() => ({}))) as { correlationId?: string };
    return { correlationId: body.correlationId ?? null };
  }

  importStatus(contactListId: string): Promise<GenesysImportStatus> {
    return this.json('get import status', { method: 'GET', url: this.outbound(`contactlists/${encodeURIComponent(contactListId)}/importstatus`) });
  }

  // Rule sets

  ruleSetByName(name: string): Promise<ExistingRuleSet | undefined> {
    return this.byName<ExistingRuleSet>('list rule sets', 'rulesets', name);
  }

  createRuleSet(definition: RuleSetDefinition): Promise<{ id: string }> {
    return this.json('create rule set', { method: 'POST', url: this.outbound('rulesets'), json: definition });
  }

  async updateRuleSet(id: string, version: number, definition: RuleSetDefinition): Promise<void> {
    await this.call('update rule set', { method: 'PUT', url: this.outbound(`rulesets/${encodeURIComponent(id)}`), json: { ...definition, id, version } });
  }

  // DNC lists

  dncListByName(name: string): Promise<ExistingDncList | undefined> {
    return this.byName<ExistingDncList>('list DNC lists', 'dnclists', name);
  }

  createDncList(definition: DncListDefinition): Promise<{ id: string }> {
    return this.json('create DNC list', { method: 'POST', url: this.outbound('dnclists'), json: definition });
  }

  async updateDncList(id: string, version: number, definition: DncListDefinition): Promise<void> {
    await this.call('update DNC list', { method: 'PUT', url: this.outbound(`dnclists/${encodeURIComponent(id)}`), json: { ...definition, id, version } });
  }

  /**
   * The list's phone numbers, from a fresh export: `POST …/export` starts it, `GET …/export` answers
   * the download URI once an export newer than the request is ready; the CSV's phone column is read.
   */
  async dncPhoneNumbers(dncListId: string): Promise<string[]> {
    const url = this.outbound(`dnclists/${encodeURIComponent(dncListId)}/export`);
    const requestedAt = Date.now();
    await this.call('export DNC list', { method: 'POST', url });
    for (let poll = 1; poll <= DNC_EXPORT_POLLS; poll += 1) {
      const exported = await this.found(this.json<{ uri?: string; exportTimestamp?: string }>('get DNC list export', { method: 'GET', url }));
      if (exported?.uri && Date.parse(exported.exportTimestamp ?? '') >= requestedAt - 1_000) {
        // A pre-signed download: no bearer token.
        const response = await this.send('download DNC list export', { method: 'GET', url: exported.uri }, {}, 'retry');
        const [header = [], ...rows] = parseCsv(await (await this.checked('download DNC list export', response)).text());
        const column = header.findIndex((name) => /phone/i.test(name));
        if (column < 0) throw new GenesysApiError('download DNC list export', response.status, 'no phone number column in the export');
        return rows.map((row) => row[column] ?? '').filter((phone) => phone !== '');
      }
      await this.sleep(this.baseDelayMs);
    }
    throw new Error(`Genesys Cloud DNC list ${dncListId}: no export ready after ${DNC_EXPORT_POLLS} polls`);
  }

  /** Adds or removes phone numbers (`PATCH …/phonenumbers`, 1,000 per call); both are safe to repeat. */
  async updateDncPhoneNumbers(dncListId: string, action: 'Add' | 'Remove', phoneNumbers: readonly string[]): Promise<void> {
    for (let start = 0; start < phoneNumbers.length; start += PHONE_NUMBERS_PER_PATCH) {
      await this.call(`${action.toLowerCase()} DNC phone numbers`, {
        method: 'PATCH',
        url: this.outbound(`dnclists/${encodeURIComponent(dncListId)}/phonenumbers`),
        json: { action, phoneNumbers: phoneNumbers.slice(start, start + PHONE_NUMBERS_PER_PATCH) },
      });
    }
  }

  // Analytics and routing (the results loop)

  /**
   * The conversations of these contact lists that started in `interval` (ISO-8601 `start/end`), from an
   * asynchronous conversation details job: `POST /api/v2/analytics/conversations/details/jobs`, polled until
   * FULFILLED, then its results page by page (cursor). Records are returned as Genesys wrote them, unvalidated.
   */
  async outboundConversations(interval: string, contactListIds: readonly string[]): Promise<unknown[]> {
    if (contactListIds.length === 0) return [];
    const { jobId } = await this.json<{ jobId?: string }>('start conversation details job', {
      method: 'POST',
      url: this.analytics('conversations/details/jobs'),
      json: {
        interval,
        order: 'asc',
        orderBy: 'conversationStart',
        segmentFilters: [{ type: 'or', predicates: contactListIds.map((id) => ({ dimension: 'outboundContactListId', value: id })) }],
      },
    });
    if (!jobId) throw new GenesysApiError('start conversation details job', 202, 'no jobId in the answer');
    const job = this.analytics(`conversations/details/jobs/${encodeURIComponent(jobId)}`);
    for (let poll = 1; ; poll += 1) {
      const { state, errorMessage } = await this.json<{ state?: string; errorMessage?: string }>('get conversation details job', { method: 'GET', url: job });
      if (state === 'FULFILLED') break;
      if (DETAILS_JOB_ENDED.has(state ?? ''))
        throw new Error(`Genesys Cloud conversation details job ${jobId}: ${state}${errorMessage ? `: ${errorMessage}` : ''}`);
      if (poll >= DETAILS_JOB_POLLS) throw new Error(`Genesys Cloud conversation details job ${jobId}: still ${state ?? 'unknown'} after ${poll} polls`);
      await this.sleep(DETAILS_JOB_POLL_MS);
    }
    const conversations: unknown[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ pageSize: String(DETAILS_PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await this.json<{ conversations?: unknown[]; cursor?: string }>('get conversation details job results', {
        method: 'GET',
        url: `${job}/results?${query}`,
      });
      conversations.push(...(page.conversations ?? []));
      cursor = page.cursor;
    } while (cursor);
    return conversations;
  }

  /** The org's wrap-up codes, id → name (`GET /api/v2/routing/wrapupcodes`, page by page). */
  async wrapUpCodeNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (let pageNumber = 1; ; pageNumber += 1) {
      const query = new URLSearchParams({ pageSize: String(PAGE_SIZE), pageNumber: String(pageNumber) });
      const page = await this.json<Listing<{ id: string; name: string }>>('list wrap-up codes', {
        method: 'GET',
        url: `${this.options.endpoints.api}/api/v2/routing/wrapupcodes?${query}`,
      });
      for (const code of page.entities ?? []) names.set(code.id, code.name);
      if (pageNumber >= (page.pageCount ?? 0)) return names;
    }
  }

  // Transport

  private analytics(path: string): string {
    return `${this.options.endpoints.api}/api/v2/analytics/${path}`;
  }

  private outbound(path: string): string {
    return `${this.options.endpoints.api}/api/v2/outbound/${path}`;
  }

  private contactsPage(contactListId: string, pageNumber: number, pageSize: number): Promise<Listing<GenesysContact>> {
    return this.json('search contacts', {
      method: 'POST',
      url: this.outbound(`contactlists/${encodeURIComponent(contactListId)}/contacts/search`),
      json: { pageNumber, pageSize },
    });
  }

  /** The entity of exactly this name, from the `?name=` listing (which matches by prefix), page by page. */
  private async byName<T extends { name: string }>(operation: string, collection: string, name: string): Promise<T | undefined> {
    for (let pageNumber = 1; ; pageNumber += 1) {
      const query = new URLSearchParams({ name, pageSize: String(PAGE_SIZE), pageNumber: String(pageNumber) });
      const page = await this.json<Listing<T>>(operation, { method: 'GET', url: `${this.outbound(collection)}?${query}` });
      const found = (page.entities ?? []).find((entity) => entity.name === name);
      if (found || pageNumber >= (page.pageCount ?? 0)) return found;
    }
  }

  private async found<T>(answer: Promise<T>): Promise<T | undefined> {
    try {
      return await answer;
    } catch (error) {
      if (error instanceof GenesysApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async json<T>(operation: string, request: Request): Promise<T> {
    return (await (await this.call(operation, request)).json()) as T;
  }

  /** A call with the bearer token; a 401 renews the token and tries once more. */
  private async call(operation: string, request: Request, retry: Retry = 'retry'): Promise<Response> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.accessToken();
      const response = await this.send(operation, request, { authorization: `Bearer ${token}` }, retry);
      if (response.status === 401 && !renewed) {
        await response.body?.cancel();
        this.token = undefined;
        continue;
      }
      return this.checked(operation, response);
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    const { clientId, clientSecret } = this.options.credentials;
    const basic = Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
    const response = await this.checked(
      'get token',
      await this.send(
        'get token',
        { method: 'POST', url: `${this.options.endpoints.login}/oauth/token`, text: 'grant_type=client_credentials' },
        { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        'retry',
      ),
    );
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new GenesysApiError('get token', response.status, 'no access_token in the answer');
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 0) * 1000 - TOKEN_MARGIN_MS) };
    return this.token.value;
  }

  /**
   * Sends, retrying 429 (after `Retry-After`), 5xx and network errors; a not-idempotent request is
   * retried on 429 only (Genesys refuses a rate-limited request without processing it).
   * Returns the last answer whatever its status.
   */
  private async send(operation: string, request: Request, headers: Record<string, string>, retry: Retry): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      const init: RequestInit = { method: request.method, headers: { ...headers } };
      if (request.form) init.body = request.form();
      else if (request.json !== undefined) {
        init.body = JSON.stringify(request.json);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      } else if (request.text !== undefined) init.body = request.text;
      let response: Response;
      try {
        response = await fetch(request.url, init);
      } catch (error) {
        if (retry === 'not-idempotent') throw new GenesysOutcomeUnknownError(operation, `no answer: ${(error as Error).message}`);
        if (attempt >= this.maxAttempts) throw new Error(`Genesys Cloud ${operation}: no answer after ${attempt} attempts: ${(error as Error).message}`);
        await this.sleep(this.backoff(attempt));
        continue;
      }
      if (retry === 'not-idempotent' && response.status >= 500) {
        await response.body?.cancel();
        throw new GenesysOutcomeUnknownError(operation, `HTTP ${response.status}`);
      }
      const retryable = retry === 'retry' ? RETRYABLE.has(response.status) : response.status === 429;
      if (!retryable || attempt >= this.maxAttempts) return response;
      await response.body?.cancel();
      await this.sleep(this.backoff(attempt, response.headers.get('retry-after')));
    }
  }

  private backoff(attempt: number, retryAfter?: string | null): number {
    const seconds = Number(retryAfter);
    if (retryAfter && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_DELAY_MS);
    return Math.min(this.baseDelayMs * 2 ** (attempt - 1), MAX_DELAY_MS);
  }

  private async checked(operation: string, response: Response): Promise<Response> {
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let detail = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { message?: string; code?: string; error?: string; contextId?: string };
      detail = [body.code ?? body.error, body.message].filter(Boolean).join(': ') || detail;
      if (body.contextId) detail += ` (contextId ${body.contextId})`;
    } catch {
      // not JSON: keep the text
    }
    throw new GenesysApiError(operation, response.status, detail);
  }
}

/**
 * The Genesys OAuth client: OUTBOUND_GENESYS_CLIENT_ID/_SECRET where both are set (the CLI and the local runtime;
 * never set in the cloud), else the Secrets Manager secret named by OUTBOUND_GENESYS_SECRET_NAME.
 */
export function genesysCredentials(): Promise<GenesysCredentials> {
  const clientId = process.env[envNames.genesysClientId];
  const clientSecret = process.env[envNames.genesysClientSecret];
  if (clientId && clientSecret) return Promise.resolve({ clientId, clientSecret });
  return readGenesysCredentials(requireEnv(envNames.genesysSecretName));
}

/**
 * Reads the Genesys OAuth client from Secrets Manager through the AWS Parameters and Secrets Lambda
 * Extension (a layer; no SDK client needed): the secret is JSON `{"client_id","client_secret"}`.
 */
async function readGenesysCredentials(secretName: string): Promise<GenesysCredentials> {
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const token = process.env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('no AWS_SESSION_TOKEN: the Genesys secret is read through the Lambda extension, in Lambda only');
  const response = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretName)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': token },
  });
  if (!response.ok) throw new Error(`secret ${secretName}: the Parameters and Secrets extension answered HTTP ${response.status}`);
  const { SecretString } = (await response.json()) as { SecretString?: string };
  let secret: { client_id?: unknown; client_secret?: unknown } = {};
  try {
    secret = JSON.parse(SecretString ?? '') as typeof secret;
  } catch {
    // reported below without echoing the value
  }
  if (typeof secret.client_id !== 'string' || typeof secret.client_secret !== 'string') {
    throw new Error(`secret ${secretName}: expected a JSON SecretString with string client_id and client_secret`);
  }
  return { clientId: secret.client_id, clientSecret: secret.client_secret };
}
