import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseCsv } from '../domain/exports/csv.ts';
import { headerProblems } from '../domain/exports/layout.ts';
import type { GenesysContactList, GenesysImportStatus } from '../adapters/genesys-client.ts';

/**
 * A local HTTP stand-in of the Genesys Cloud calls the pusher makes (adapters/genesys-client.ts), on
 * loopback: OAuth client credentials, contact-list read, clear, the multipart contact-list upload and
 * the import status. It judges uploads as Genesys does — UTF-8, RFC 4180, at most 50 unique column
 * names, exactly the contact list's declared columns, a non-empty unique contact id per record — and
 * records what it accepted. Failures can be injected per route to exercise retries.
 */
export type StandInRoute = 'token' | 'contactlist' | 'clear' | 'upload' | 'importstatus';

export interface RecordedUpload {
  contactListId: string;
  contactIdColumn: string;
  fileName: string;
  header: string[];
  records: string[][];
}

export interface GenesysStandIn {
  url: string;
  /** Accepted uploads, in order. */
  uploads: RecordedUpload[];
  /** Every request, in order, with the status it was answered. */
  calls: (Target & { status: number })[];
  /** The contacts each list holds now (contact id → record), after clears and uploads. */
  contacts(contactListId: string): Map<string, string[]>;
  /** Answers the next requests of `route` with these failures, in order, before serving normally again. */
  failNext(route: StandInRoute, ...failures: { status: number; retryAfterSeconds?: number }[]): void;
  /** Invalidates every token issued so far (the next authorized call answers 401). */
  revokeTokens(): void;
  close(): Promise<void>;
}

export interface GenesysStandInOptions {
  clientId: string;
  clientSecret: string;
  contactLists: readonly GenesysContactList[];
}

export async function startGenesysStandIn(options: GenesysStandInOptions): Promise<GenesysStandIn> {
  const lists = new Map(options.contactLists.map((list) => [list.id, { list, contacts: new Map<string, string[]>(), status: undefined as GenesysImportStatus | undefined }]));
  const tokens = new Set<string>();
  const failures = new Map<StandInRoute, { status: number; retryAfterSeconds?: number }[]>();
  const uploads: RecordedUpload[] = [];
  const calls: GenesysStandIn['calls'] = [];

  const handle = async (request: IncomingMessage, body: Buffer, target: Target): Promise<Answer> => {
    const { route, contactListId } = target;
    if (route === 'unknown') return error(404, 'not.found', `no route ${request.method} ${request.url}`);
    const failure = failures.get(route)?.shift();
    if (failure) {
      const answer = error(failure.status, failure.status === 429 ? 'too.many.requests' : 'service.unavailable', 'injected failure');
      if (failure.retryAfterSeconds !== undefined) answer.headers['retry-after'] = String(failure.retryAfterSeconds);
      return answer;
    }
    if (route === 'token') return token(request, body);
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return error(401, 'bad.credentials', 'Invalid login credentials.');
    if (route === 'upload') return upload(request, body);
    const state = lists.get(contactListId!);
    if (!state) return error(404, 'not.found', `contact list ${contactListId} not found`);
    if (route === 'contactlist') return json(200, state.list);
    if (route === 'clear') {
      state.contacts.clear();
      return { status: 204, headers: {}, body: '' };
    }
    return json(200, state.status ?? { state: 'COMPLETED', totalRecords: 0, completedRecords: 0, percentageComplete: 100 });
  };

  const token = (request: IncomingMessage, body: Buffer): Answer => {
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [id, secret] = Buffer.from(basic ?? '', 'base64').toString('utf8').split(':');
    if (id !== options.clientId || secret !== options.clientSecret) return json(401, { error: 'invalid_client', description: 'client not found' });
    if (new URLSearchParams(body.toString('utf8')).get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', description: 'expected client_credentials' });
    }
    const value = randomUUID();
    tokens.add(value);
    return json(200, { access_token: value, token_type: 'bearer', expires_in: 86_399 });
  };

  const upload = async (request: IncomingMessage, body: Buffer): Promise<Answer> => {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': request.headers['content-type'] ?? '' } }).formData();
    } catch {
      return error(400, 'bad.request', 'expected a multipart/form-data body');
    }
    const id = form.get('id');
    const fileType = form.get('fileType');
    const contactIdColumn = form.get('contact-id-name');
    const file = form.get('file');
    if (fileType !== 'contactlist') return error(400, 'invalid.file.type', `fileType must be contactlist, not ${String(fileType)}`);
    if (typeof id !== 'string' || !lists.has(id)) return error(404, 'not.found', `contact list ${String(id)} not found`);
    if (typeof contactIdColumn !== 'string' || contactIdColumn === '') return error(400, 'bad.request', 'contact-id-name is required');
    if (!(file instanceof Blob)) return error(400, 'bad.request', 'file is required');
    const state = lists.get(id)!;
    let records: string[][];
    try {
      records = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer()));
    } catch (problem) {
      return error(400, 'invalid.csv', (problem as Error).message);
    }
    const [header = [], ...rows] = records;
    const problems = headerProblems(header);
    const missing = state.list.columnNames.filter((column) => !header.includes(column));
    const extra = header.filter((column) => !state.list.columnNames.includes(column));
    if (missing.length > 0) problems.push(`columns missing: ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`columns not in the contact list: ${extra.join(', ')}`);
    const idIndex = header.indexOf(contactIdColumn);
    if (idIndex < 0) problems.push(`contact id column ${contactIdColumn} is not in the header`);
    const ids = new Set<string>();
    rows.forEach((row, index) => {
      if (row.length !== header.length) problems.push(`record ${index + 2}: ${row.length} fields, the header has ${header.length}`);
      const contactId = row[idIndex] ?? '';
      if (idIndex >= 0 && contactId === '') problems.push(`record ${index + 2}: empty contact id`);
      if (ids.has(contactId)) problems.push(`record ${index + 2}: contact id repeated`);
      ids.add(contactId);
    });
    if (problems.length > 0) return error(400, 'invalid.contact.list.file', problems.join('; '));
    for (const row of rows) state.contacts.set(row[idIndex]!, row);
    state.status = { state: 'COMPLETED', totalRecords: rows.length, completedRecords: rows.length, percentageComplete: 100 };
    uploads.push({ contactListId: id, contactIdColumn, fileName: file instanceof File ? file.name : '', header, records: rows });
    return json(200, { correlationId: randomUUID() });
  };

  const server = createServer((request, response) => {
    const target = targetOf(request);
    readAll(request)
      .then((body) => handle(request, body, target))
      .catch((problem: Error) => error(500, 'internal.server.error', problem.message))
      .then((answer) => {
        calls.push({ ...target, status: answer.status });
        send(response, answer);
      });
  });
  await new Promise<void>((listening, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => listening());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    calls,
    contacts: (contactListId) => lists.get(contactListId)?.contacts ?? new Map(),
    failNext: (route, ...injected) => failures.set(route, [...(failures.get(route) ?? []), ...injected]),
    revokeTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((closed, fail) => {
        server.close((problem) => (problem ? fail(problem) : closed()));
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Genesys's error body: `{ message, code, status }`. */
function error(status: number, code: string, message: string): Answer {
  return json(status, { message, code, status });
}

export interface Target {
  route: StandInRoute | 'unknown';
  contactListId?: string;
}

function targetOf(request: IncomingMessage): Target {
  const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
  const method = request.method ?? 'GET';
  if (method === 'POST' && path === '/oauth/token') return { route: 'token' };
  if (method === 'POST' && path === '/uploads/v2/contactlist') return { route: 'upload' };
  const match = /^\/api\/v2\/outbound\/contactlists\/([^/]+)(\/clear|\/importstatus)?$/.exec(path);
  if (!match) return { route: 'unknown' };
  const contactListId = decodeURIComponent(match[1]!);
  if (method === 'GET' && !match[2]) return { route: 'contactlist', contactListId };
  if (method === 'POST' && match[2] === '/clear') return { route: 'clear', contactListId };
  if (method === 'GET' && match[2] === '/importstatus') return { route: 'importstatus', contactListId };
  return { route: 'unknown' };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
