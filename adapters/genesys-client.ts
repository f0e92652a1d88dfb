/**
 * The few Genesys Cloud Platform API calls the export pusher makes, over fetch:
 * - OAuth client credentials: `POST https://login.<env>/oauth/token` (Basic client id:secret,
 *   `grant_type=client_credentials`) → `{ access_token, token_type, expires_in }`;
 * - `GET https://api.<env>/api/v2/outbound/contactlists/{id}` (the list's declared columns);
 * - `POST https://api.<env>/api/v2/outbound/contactlists/{id}/clear` (removes every contact);
 * - `POST https://apps.<env>/uploads/v2/contactlist` multipart (`id`, `fileType=contactlist`,
 *   `contact-id-name`, `file`): the contact-list CSV upload;
 * - `GET https://api.<env>/api/v2/outbound/contactlists/{id}/importstatus`.
 * 429 and 5xx answers and network errors are retried with exponential backoff (honouring
 * `Retry-After`); a 401 renews the token once. Errors name the operation and status, never the
 * credentials or the token.
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

/** The parts of a ContactList the pusher checks. */
export interface GenesysContactList {
  id: string;
  name: string;
  columnNames: string[];
  phoneColumns?: { columnName: string; type?: string; callableTimeColumn?: string }[];
  emailColumns?: { columnName: string; type?: string; contactableTimeColumn?: string }[];
  automaticTimeZoneMapping?: boolean;
}

export interface GenesysImportStatus {
  state: 'IN_PROGRESS' | 'FAILED' | 'COMPLETED';
  totalRecords?: number;
  completedRecords?: number;
  percentageComplete?: number;
  failureReason?: string;
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

export class GenesysClient {
  private token: { value: string; expiresAt: number } | undefined;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GenesysClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  async getContactList(contactListId: string): Promise<GenesysContactList> {
    const response = await this.authorized('get contact list', () => ({
      url: `${this.options.endpoints.api}/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}`,
      init: { method: 'GET' },
    }));
    return (await response.json()) as GenesysContactList;
  }

  async clearContactList(contactListId: string): Promise<void> {
    await this.authorized('clear contact list', () => ({
      url: `${this.options.endpoints.api}/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}/clear`,
      init: { method: 'POST' },
    }));
  }

  /** Uploads a contact-list CSV; Genesys imports it asynchronously (see `importStatus`). */
  async uploadContactList(contactListId: string, csv: Uint8Array, fileName: string, contactIdColumn: string): Promise<{ correlationId: string | null }> {
    const response = await this.authorized('upload contact list', () => {
      // A fresh form per attempt: a request body can be sent only once.
      const form = new FormData();
      form.append('id', contactListId);
      form.append('fileType', 'contactlist');
      form.append('contact-id-name', contactIdColumn);
      form.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
      return { url: `${this.options.endpoints.apps}/uploads/v2/contactlist`, init: { method: 'POST', body: form } };
    });
    const body = (await response.json().catch(() => ({}))) as { correlationId?: string };
    return { correlationId: body.correlationId ?? null };
  }

  async importStatus(contactListId: string): Promise<GenesysImportStatus> {
    const response = await this.authorized('get import status', () => ({
      url: `${this.options.endpoints.api}/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}/importstatus`,
      init: { method: 'GET' },
    }));
    return (await response.json()) as GenesysImportStatus;
  }

  /** A call with the bearer token; a 401 renews the token and tries once more. */
  private async authorized(operation: string, request: () => { url: string; init: RequestInit }): Promise<Response> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.accessToken();
      const response = await this.send(operation, () => {
        const { url, init } = request();
        return { url, init: { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } } };
      });
      if (response.status === 401 && !renewed) {
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
      await this.send('get token', () => ({
        url: `${this.options.endpoints.login}/oauth/token`,
        init: {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        },
      })),
    );
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new GenesysApiError('get token', response.status, 'no access_token in the answer');
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 0) * 1000 - TOKEN_MARGIN_MS) };
    return this.token.value;
  }

  /** Sends with retries on 429, 5xx and network errors; returns the last answer whatever its status. */
  private async send(operation: string, request: () => { url: string; init: RequestInit }): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      const { url, init } = request();
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        if (attempt >= this.maxAttempts) {
          throw new Error(`Genesys Cloud ${operation}: no answer after ${attempt} attempts: ${(error as Error).message}`);
        }
        await this.sleep(this.backoff(attempt));
        continue;
      }
      if (!RETRYABLE.has(response.status) || attempt >= this.maxAttempts) return response;
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
      const body = JSON.parse(text) as { message?: string; code?: string; error?: string };
      detail = [body.code ?? body.error, body.message].filter(Boolean).join(': ') || detail;
    } catch {
      // not JSON: keep the text
    }
    throw new GenesysApiError(operation, response.status, detail);
  }
}

/**
 * Reads the Genesys OAuth client from Secrets Manager through the AWS Parameters and Secrets Lambda
 * Extension (a layer; no SDK client needed): the secret is JSON `{"client_id","client_secret"}`.
 */
export async function readGenesysCredentials(secretName: string): Promise<GenesysCredentials> {
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
