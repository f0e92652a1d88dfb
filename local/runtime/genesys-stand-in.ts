import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { csvRecord, parseCsv } from '../../domain/exports/csv.ts';
import { headerProblems } from '../../domain/exports/template.ts';
import type { GenesysContact, GenesysContactList, GenesysImportStatus } from '../../adapters/genesys-client.ts';
import type { ExistingDncList, ExistingRuleSet } from '../../domain/genesys/plan.ts';

/**
 * A local HTTP stand-in of the Genesys Cloud Platform API calls this project makes
 * (adapters/genesys-client.ts, docs/genesys.md), on loopback, behaving as the documented API does:
 * - OAuth client credentials; every other call needs a bearer token it issued (else 401);
 * - contact lists (create, read by id or `?name=`, update with the current `version`, else 409),
 *   their contacts (search, delete by id, clear) and the multipart CSV upload, judged as Genesys
 *   judges it (UTF-8, RFC 4180, ≤ 50 unique columns, exactly the list's columns, a non-empty unique
 *   contact id per record) and imported asynchronously: the import status goes PENDING → IN_PROGRESS →
 *   COMPLETED (or FAILED) over successive status reads, and contacts change only when it completes —
 *   a record whose contact id the list holds updates that contact, others are added; a second upload
 *   while an import runs is refused (409);
 * - scheduled callbacks tied to a contact (set up by the test, as an agent would): removing or clearing
 *   the contact cancels its callback, updating it does not;
 * - rule sets and DNC lists (create, read, update with version; DNC phone numbers added/removed by
 *   PATCH and read back through an export and its download URI);
 * - the day's conversations for the results loop: conversation details jobs (QUEUED, then FULFILLED on a later
 *   status read; results by cursor), filtered by interval and `outboundContactListId`, and the wrap-up codes
 *   (id → name); the conversations are recorded by the test, as the dialer would make them;
 * - error bodies `{ message, code, status, contextId }`; injected failures per route (429 with
 *   `Retry-After`, 5xx), an answer lost after the request was processed, an import that completes short.
 */
export type StandInRoute =
  | 'token'
  | 'contactlists'
  | 'contactlist'
  | 'contacts search'
  | 'contacts delete'
  | 'clear'
  | 'upload'
  | 'importstatus'
  | 'rulesets'
  | 'ruleset'
  | 'dnclists'
  | 'dnclist'
  | 'dnc phonenumbers'
  | 'dnc export'
  | 'download'
  | 'details jobs'
  | 'details job'
  | 'details results'
  | 'wrapupcodes'
  | 'dial'
  | 'next import';

/** A conversation as the analytics details record holds it (only what the stand-in filters on is required). */
export interface StandInConversation {
  conversationId: string;
  conversationStart: string;
  participants: {
    purpose: string;
    sessions: { mediaType?: string; dnis?: string; outboundContactId?: string; outboundContactListId?: string; segments?: Record<string, string>[] }[];
  }[];
}

export interface RecordedUpload {
  contactListId: string;
  contactIdColumn: string;
  fileName: string;
  header: string[];
  records: string[][];
}

export interface StandInCallback {
  id: string;
  contactListId: string;
  contactId: string;
  scheduledFor: string;
  state: 'SCHEDULED' | 'CANCELLED';
}

export interface GenesysStandIn {
  url: string;
  /** Accepted uploads, in order. */
  uploads: RecordedUpload[];
  /** Every request, in order, with the status it was answered (0: the answer was lost). */
  calls: (Target & { status: number })[];
  /** The contacts a list holds now (contact id → column → value). */
  contacts(contactListId: string): Map<string, Record<string, string>>;
  /** Ids of the contact lists, in creation order. */
  contactListIds(): string[];
  dncPhoneNumbers(dncListId: string): string[];
  /** A callback an agent scheduled on this contact (the contact must exist). */
  scheduleCallback(contactListId: string, contactId: string, scheduledFor: string): StandInCallback;
  callbacks(): StandInCallback[];
  /** Answers the next requests of `route` with these failures, in order, before serving normally again. */
  failNext(route: StandInRoute, ...failures: { status: number; retryAfterSeconds?: number }[]): void;
  /** Processes the next request of `route` and then drops the connection without an answer. */
  loseNextAnswer(route: StandInRoute): void;
  /** The next accepted upload imports all but the last `skipRecords` records, or fails (also `POST /stand-in/next-import`, no token). */
  nextImport(outcome: { skipRecords: number } | { failureReason: string }): void;
  /** A conversation the dialer made (analytics details record). */
  recordConversation(conversation: StandInConversation): void;
  /** A wrap-up code of the org; returns its id. */
  addWrapUpCode(name: string): string;
  /**
   * Plays the dialer (also `POST /stand-in/dial` `{"at": ISO-8601}`, no token): one conversation at `at` with every
   * contact of every list, on its first phone column, ending in turn no answer, machine, an agent's "Right Party
   * Contact", busy. Returns the conversations recorded.
   */
  dialEveryContact(at: string): number;
  /** Invalidates every token issued so far (the next authorized call answers 401). */
  revokeTokens(): void;
  close(): Promise<void>;
}

export interface GenesysStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Contact lists the org holds from the start (ids kept); others are created through the API. */
  contactLists?: readonly Omit<GenesysContactList, 'version'>[];
  /** Loopback port (default 0: any free port). */
  port?: number;
  /** Status reads an import takes from PENDING to its end (default 2: PENDING, IN_PROGRESS, then done). */
  importStatusReads?: number;
}

interface ImportJob {
  status: GenesysImportStatus;
  reads: number;
  contactIdColumn: string;
  header: string[];
  records: string[][];
  outcome: { skipRecords: number } | { failureReason: string };
}

interface ListState {
  list: GenesysContactList;
  contacts: Map<string, Record<string, string>>;
  job: ImportJob | undefined;
}

interface DncState {
  list: ExistingDncList;
  phoneNumbers: Set<string>;
  exportTimestamp: string | undefined;
}

export async function startGenesysStandIn(options: GenesysStandInOptions): Promise<GenesysStandIn> {
  const lists = new Map<string, ListState>();
  const ruleSets = new Map<string, ExistingRuleSet>();
  const dncLists = new Map<string, DncState>();
  const callbacks: StandInCallback[] = [];
  const tokens = new Set<string>();
  const failures = new Map<StandInRoute, { status: number; retryAfterSeconds?: number }[]>();
  const lostAnswers = new Set<StandInRoute>();
  const pendingOutcomes: ImportJob['outcome'][] = [];
  const uploads: RecordedUpload[] = [];
  const calls: GenesysStandIn['calls'] = [];
  const conversations: StandInConversation[] = [];
  const wrapUpCodes = new Map<string, string>();
  const detailsJobs = new Map<string, { reads: number; conversations: StandInConversation[] }>();
  const importStatusReads = options.importStatusReads ?? 2;
  let origin = '';

  for (const list of options.contactLists ?? []) lists.set(list.id, { list: { ...list, version: 1 }, contacts: new Map(), job: undefined });

  const cancelCallbacks = (contactListId: string, contactIds: (id: string) => boolean) => {
    for (const callback of callbacks)
      if (callback.contactListId === contactListId && callback.state === 'SCHEDULED' && contactIds(callback.contactId)) callback.state = 'CANCELLED';
  };

  const handle = async (request: IncomingMessage, body: Buffer, target: Target): Promise<Answer> => {
    const { route, id } = target;
    if (route === 'unknown') return error(404, 'not.found', 'no such route');
    const failure = failures.get(route)?.shift();
    if (failure) {
      const answer = error(failure.status, failure.status === 429 ? 'too.many.requests' : 'service.unavailable', 'injected failure');
      if (failure.retryAfterSeconds !== undefined) answer.headers['retry-after'] = String(failure.retryAfterSeconds);
      return answer;
    }
    if (route === 'token') return token(request, body);
    if (route === 'next import') {
      const outcome = parseJson(body) as { skipRecords?: unknown; failureReason?: unknown } | undefined;
      if (Number.isInteger(outcome?.skipRecords) && (outcome!.skipRecords as number) >= 0)
        pendingOutcomes.push({ skipRecords: outcome!.skipRecords as number });
      else if (typeof outcome?.failureReason === 'string') pendingOutcomes.push({ failureReason: outcome.failureReason });
      else return error(400, 'bad.request', 'body {"skipRecords": n} or {"failureReason": "…"}');
      return { status: 204, headers: {}, body: '' };
    }
    if (route === 'dial') {
      const at = (parseJson(body) as { at?: unknown } | undefined)?.at;
      if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return error(400, 'bad.request', 'body {"at": ISO-8601 date-time}');
      return json(200, { conversations: dialEveryContact(at) });
    }
    if (route === 'download') return download(id!, new URL(request.url ?? '/', 'http://stand-in').searchParams.get('signature'));
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return error(401, 'bad.credentials', 'Invalid login credentials.');
    const input = body.length > 0 && route !== 'upload' ? parseJson(body) : undefined;
    if (input instanceof Error) return error(400, 'bad.request', 'the body is not JSON');
    switch (route) {
      case 'upload':
        return await upload(request, body);
      case 'contactlists':
        return request.method === 'GET'
          ? json(
              200,
              listing(
                [...lists.values()].map((state) => state.list),
                request,
              ),
            )
          : createContactList(input);
      case 'rulesets':
        return request.method === 'GET' ? json(200, listing([...ruleSets.values()], request)) : create(ruleSets, input, ruleSetProblems);
      case 'dnclists':
        return request.method === 'GET'
          ? json(
              200,
              listing(
                [...dncLists.values()].map((state) => state.list),
                request,
              ),
            )
          : createDncList(input);
      case 'ruleset':
        return entity(ruleSets, id!, request.method!, input, ruleSetProblems);
      default:
        break;
    }
    if (route.startsWith('dnc')) return dncRoute(route, request, id!, input);
    if (route.startsWith('details') || route === 'wrapupcodes') return analyticsRoute(route, request, id, input);
    const state = lists.get(id!);
    if (!state) return error(404, 'not.found', 'contact list not found');
    switch (route) {
      case 'contactlist': {
        if (request.method === 'GET') return json(200, state.list);
        const problems = contactListProblems(input);
        if (problems.length > 0) return error(400, 'invalid.contact.list', problems.join('; '));
        return updated(state.list, input as GenesysContactList, (next) => (state.list = next));
      }
      case 'contacts search': {
        const { pageNumber = 1, pageSize = 25 } = (input ?? {}) as { pageNumber?: number; pageSize?: number };
        const all: GenesysContact[] = [...state.contacts].map(([contactId, data]) => ({ id: contactId, contactListId: id!, data }));
        const pageCount = Math.ceil(all.length / pageSize);
        return json(200, { entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), pageNumber, pageSize, total: all.length, pageCount });
      }
      case 'contacts delete': {
        const ids = (new URL(request.url ?? '/', 'http://stand-in').searchParams.get('contactIds') ?? '').split(',').filter(Boolean);
        if (ids.length === 0 || ids.length > 100) return error(400, 'invalid.contact.ids', 'between 1 and 100 contactIds');
        for (const contactId of ids) state.contacts.delete(contactId);
        cancelCallbacks(id!, (contactId) => ids.includes(contactId));
        return { status: 200, headers: {}, body: '' };
      }
      case 'clear':
        state.contacts.clear();
        cancelCallbacks(id!, () => true);
        return { status: 204, headers: {}, body: '' };
      case 'importstatus':
        return json(200, importStatus(state));
      default:
        return error(404, 'not.found', 'no such route');
    }
  };

  const dialEveryContact = (at: string): number => {
    const outcomes = ['ININ-OUTBOUND-NO-ANSWER', 'ININ-OUTBOUND-MACHINE', 'Right Party Contact', 'ININ-OUTBOUND-BUSY'];
    const agentCode = [...wrapUpCodes].find(([, name]) => name === outcomes[2])?.[0] ?? addWrapUpCode(outcomes[2]!);
    let made = 0;
    for (const { list, contacts } of lists.values()) {
      const column = list.phoneColumns?.[0]?.columnName;
      if (!column) continue;
      for (const contactId of [...contacts.keys()].sort()) {
        const outcome = outcomes[made % outcomes.length]!;
        const agent = outcome === outcomes[2];
        conversations.push({
          conversationId: randomUUID(),
          conversationStart: new Date(at).toISOString(),
          participants: [
            {
              purpose: 'customer',
              sessions: [
                {
                  mediaType: 'voice',
                  dnis: `tel:${contacts.get(contactId)![column] ?? ''}`,
                  outboundContactId: contactId,
                  outboundContactListId: list.id,
                  segments: agent ? [] : [{ segmentType: 'wrapup', segmentEnd: new Date(Date.parse(at) + 60_000).toISOString(), wrapUpCode: outcome }],
                },
              ],
            },
            ...(agent
              ? [
                  {
                    purpose: 'agent',
                    sessions: [
                      {
                        mediaType: 'voice',
                        segments: [{ segmentType: 'wrapup', segmentEnd: new Date(Date.parse(at) + 300_000).toISOString(), wrapUpCode: agentCode }],
                      },
                    ],
                  },
                ]
              : []),
          ],
        });
        made += 1;
      }
    }
    return made;
  };

  const addWrapUpCode = (name: string): string => {
    const codeId = randomUUID();
    wrapUpCodes.set(codeId, name);
    return codeId;
  };

  const analyticsRoute = (route: StandInRoute, request: IncomingMessage, id: string | undefined, input: unknown): Answer => {
    if (route === 'wrapupcodes')
      return json(
        200,
        listing(
          [...wrapUpCodes].map(([codeId, name]) => ({ id: codeId, name })),
          request,
        ),
      );
    if (route === 'details jobs') {
      const query = input as { interval?: unknown; segmentFilters?: { predicates?: { dimension?: string; value?: string }[] }[] } | undefined;
      const [start, end] = typeof query?.interval === 'string' ? query.interval.split('/').map(Date.parse) : [];
      if (start === undefined || end === undefined || !(start < end)) return error(400, 'invalid.interval', 'interval must be <start>/<end>, ISO-8601');
      const predicates = (query?.segmentFilters ?? []).flatMap((filter) => filter.predicates ?? []);
      if (predicates.some((predicate) => predicate.dimension !== 'outboundContactListId'))
        return error(400, 'invalid.filter', 'the stand-in filters on outboundContactListId only');
      const listIds = new Set(predicates.map((predicate) => predicate.value));
      const jobId = randomUUID();
      detailsJobs.set(jobId, {
        reads: 0,
        conversations: conversations
          .filter((conversation) => {
            const started = Date.parse(conversation.conversationStart);
            const ofLists = conversation.participants.some((participant) => participant.sessions.some((session) => listIds.has(session.outboundContactListId)));
            return started >= start && started < end && (listIds.size === 0 || ofLists);
          })
          .sort((a, b) => Date.parse(a.conversationStart) - Date.parse(b.conversationStart) || (a.conversationId < b.conversationId ? -1 : 1)),
      });
      return json(202, { jobId });
    }
    const job = detailsJobs.get(id!);
    if (!job) return error(404, 'not.found', 'job not found');
    if (route === 'details job') {
      job.reads += 1;
      return json(200, { state: job.reads < 2 ? 'QUEUED' : 'FULFILLED', submissionDate: new Date().toISOString() });
    }
    if (job.reads < 2) return error(400, 'job.not.fulfilled', 'the job has not been fulfilled');
    const query = new URL(request.url ?? '/', 'http://stand-in').searchParams;
    const pageSize = Number(query.get('pageSize') ?? 100);
    const from = Number(query.get('cursor') ?? 0);
    const next = from + pageSize;
    return json(200, { conversations: job.conversations.slice(from, next), ...(next < job.conversations.length ? { cursor: String(next) } : {}) });
  };

  const token = (request: IncomingMessage, body: Buffer): Answer => {
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [clientId, secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (clientId !== options.clientId || secret !== options.clientSecret) return json(401, { error: 'invalid_client', description: 'client not found' });
    if (new URLSearchParams(body.toString('utf8')).get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', description: 'expected client_credentials' });
    }
    const value = randomUUID();
    tokens.add(value);
    return json(200, { access_token: value, token_type: 'bearer', expires_in: 86_399 });
  };

  const createContactList = (input: unknown): Answer => {
    const problems = contactListProblems(input);
    if (problems.length > 0) return error(400, 'invalid.contact.list', problems.join('; '));
    const list = { ...(input as GenesysContactList), id: randomUUID(), version: 1 };
    if ([...lists.values()].some((state) => state.list.name === list.name)) return error(400, 'name.already.exists', 'a contact list of that name exists');
    lists.set(list.id, { list, contacts: new Map(), job: undefined });
    return json(200, list);
  };

  const createDncList = (input: unknown): Answer => {
    const list = input as ExistingDncList;
    if (typeof list?.name !== 'string' || list.name === '') return error(400, 'invalid.dnc.list', 'name is required');
    const created = { ...list, id: randomUUID(), version: 1 };
    dncLists.set(created.id, { list: created, phoneNumbers: new Set(), exportTimestamp: undefined });
    return json(200, created);
  };

  const dncRoute = (route: StandInRoute, request: IncomingMessage, id: string, input: unknown): Answer => {
    const state = dncLists.get(id);
    if (!state) return error(404, 'not.found', 'DNC list not found');
    if (route === 'dnclist') {
      if (request.method === 'GET') return json(200, state.list);
      return updated(state.list, input as ExistingDncList, (next) => (state.list = next));
    }
    if (route === 'dnc phonenumbers') {
      const { action, phoneNumbers } = (input ?? {}) as { action?: string; phoneNumbers?: unknown };
      if ((action !== 'Add' && action !== 'Remove') || !Array.isArray(phoneNumbers) || phoneNumbers.length > 1_000) {
        return error(400, 'invalid.dnc.update', 'action Add or Remove and at most 1000 phoneNumbers');
      }
      for (const phone of phoneNumbers as string[]) {
        if (action === 'Add') state.phoneNumbers.add(phone);
        else state.phoneNumbers.delete(phone);
      }
      return { status: 204, headers: {}, body: '' };
    }
    if (request.method === 'POST') {
      state.exportTimestamp = new Date().toISOString();
      return json(200, { id: randomUUID() });
    }
    if (!state.exportTimestamp) return error(404, 'not.found', 'no export of this DNC list');
    return json(200, { uri: `${origin}/downloads/dnclists/${id}.csv?signature=${signature(id)}`, exportTimestamp: state.exportTimestamp });
  };

  const download = (id: string, given: string | null): Answer => {
    const state = dncLists.get(id);
    if (!state || given !== signature(id)) return { status: 403, headers: {}, body: 'AccessDenied' };
    return {
      status: 200,
      headers: { 'content-type': 'text/csv' },
      body:
        csvRecord(['phone_number']) +
        [...state.phoneNumbers]
          .sort()
          .map((phone) => csvRecord([phone]))
          .join(''),
    };
  };

  const importStatus = (state: ListState): GenesysImportStatus => {
    const job = state.job;
    if (!job) return { state: 'COMPLETED', totalRecords: 0, completedRecords: 0, percentageComplete: 100 };
    if (job.status.state === 'PENDING' || job.status.state === 'IN_PROGRESS') {
      job.reads += 1;
      if (job.reads >= importStatusReads) finishImport(state, job);
      else job.status = { ...job.status, state: 'IN_PROGRESS', percentageComplete: Math.floor((100 * job.reads) / importStatusReads) };
    }
    return job.status;
  };

  const finishImport = (state: ListState, job: ImportJob) => {
    if ('failureReason' in job.outcome) {
      job.status = {
        state: 'FAILED',
        totalRecords: job.records.length,
        completedRecords: 0,
        percentageComplete: 100,
        failureReason: job.outcome.failureReason,
      };
      return;
    }
    const imported = job.records.slice(0, Math.max(0, job.records.length - job.outcome.skipRecords));
    const idIndex = job.header.indexOf(job.contactIdColumn);
    for (const record of imported) state.contacts.set(record[idIndex]!, Object.fromEntries(job.header.map((column, index) => [column, record[index] ?? ''])));
    job.status = { state: 'COMPLETED', totalRecords: job.records.length, completedRecords: imported.length, percentageComplete: 100 };
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
    if (fileType !== 'contactlist') return error(400, 'invalid.file.type', 'fileType must be contactlist');
    if (typeof id !== 'string' || !lists.has(id)) return error(404, 'not.found', 'contact list not found');
    if (typeof contactIdColumn !== 'string' || contactIdColumn === '') return error(400, 'bad.request', 'contact-id-name is required');
    if (!(file instanceof Blob)) return error(400, 'bad.request', 'file is required');
    const state = lists.get(id)!;
    if (state.job && (state.job.status.state === 'PENDING' || state.job.status.state === 'IN_PROGRESS')) {
      return error(409, 'contact.list.import.in.progress', 'an import into this contact list is in progress');
    }
    let records: string[][];
    try {
      records = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer()));
    } catch (problem) {
      return error(400, 'invalid.csv', (problem as Error).message);
    }
    const [header = [], ...rows] = records;
    const problems = uploadProblems(state.list, header, rows, contactIdColumn);
    if (problems.length > 0) return error(400, 'invalid.contact.list.file', problems.join('; '));
    state.job = {
      status: { state: 'PENDING', totalRecords: rows.length, completedRecords: 0, percentageComplete: 0 },
      reads: 0,
      contactIdColumn,
      header,
      records: rows,
      outcome: pendingOutcomes.shift() ?? { skipRecords: 0 },
    };
    uploads.push({ contactListId: id, contactIdColumn, fileName: file instanceof File ? file.name : '', header, records: rows });
    return json(200, { correlationId: randomUUID() });
  };

  const server = createServer((request, response) => {
    const target = targetOf(request);
    readAll(request)
      .then((body) => handle(request, body, target))
      .catch((problem: Error) => error(500, 'internal.server.error', problem.message))
      .then((answer) => {
        if (target.route !== 'unknown' && lostAnswers.delete(target.route)) {
          calls.push({ ...target, status: 0 });
          response.destroy();
          return;
        }
        calls.push({ ...target, status: answer.status });
        send(response, answer);
      });
  });
  await new Promise<void>((listening, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => listening());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    uploads,
    calls,
    contacts: (contactListId) => lists.get(contactListId)?.contacts ?? new Map(),
    contactListIds: () => [...lists.keys()],
    dncPhoneNumbers: (dncListId) => [...(dncLists.get(dncListId)?.phoneNumbers ?? [])].sort(),
    scheduleCallback: (contactListId, contactId, scheduledFor) => {
      if (!lists.get(contactListId)?.contacts.has(contactId)) throw new Error('a callback needs an existing contact');
      const callback: StandInCallback = { id: randomUUID(), contactListId, contactId, scheduledFor, state: 'SCHEDULED' };
      callbacks.push(callback);
      return callback;
    },
    callbacks: () => callbacks.map((callback) => ({ ...callback })),
    failNext: (route, ...injected) => failures.set(route, [...(failures.get(route) ?? []), ...injected]),
    loseNextAnswer: (route) => lostAnswers.add(route),
    nextImport: (outcome) => pendingOutcomes.push(outcome),
    recordConversation: (conversation) => conversations.push(structuredClone(conversation)),
    addWrapUpCode,
    dialEveryContact,
    revokeTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((closed, fail) => {
        server.close((problem) => (problem ? fail(problem) : closed()));
        server.closeAllConnections();
      }),
  };
}

/** Why Genesys refuses this file for this contact list. */
function uploadProblems(list: GenesysContactList, header: string[], rows: string[][], contactIdColumn: string): string[] {
  const problems = headerProblems(header);
  const missing = list.columnNames.filter((column) => !header.includes(column));
  const extra = header.filter((column) => !list.columnNames.includes(column));
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
  return problems;
}

function contactListProblems(input: unknown): string[] {
  const list = input as Partial<GenesysContactList> | undefined;
  if (typeof list?.name !== 'string' || list.name === '' || !Array.isArray(list.columnNames)) return ['name and columnNames are required'];
  const problems = headerProblems(list.columnNames);
  for (const column of [...(list.phoneColumns ?? []), ...(list.emailColumns ?? [])]) {
    if (!list.columnNames.includes(column.columnName)) problems.push(`contact column ${column.columnName} is not a column`);
  }
  return problems;
}

function ruleSetProblems(input: unknown): string[] {
  const ruleSet = input as Partial<ExistingRuleSet> | undefined;
  if (typeof ruleSet?.name !== 'string' || ruleSet.name === '' || !Array.isArray(ruleSet.rules)) return ['name and rules are required'];
  return ruleSet.rules.flatMap((rule, index) =>
    (rule.conditions ?? []).length === 0 || (rule.actions ?? []).length === 0 ? [`rule ${index}: at least one condition and one action`] : [],
  );
}

function create<T extends { id: string; name: string; version: number }>(
  store: Map<string, T>,
  input: unknown,
  problemsOf: (input: unknown) => string[],
): Answer {
  const problems = problemsOf(input);
  if (problems.length > 0) return error(400, 'invalid.entity', problems.join('; '));
  const created = { ...(input as T), id: randomUUID(), version: 1 };
  store.set(created.id, created);
  return json(200, created);
}

function entity<T extends { id: string; version: number }>(
  store: Map<string, T>,
  id: string,
  method: string,
  input: unknown,
  problemsOf: (input: unknown) => string[],
): Answer {
  const current = store.get(id);
  if (!current) return error(404, 'not.found', 'entity not found');
  if (method === 'GET') return json(200, current);
  const problems = problemsOf(input);
  if (problems.length > 0) return error(400, 'invalid.entity', problems.join('; '));
  return updated(current, input as T, (next) => store.set(id, next));
}

/** A PUT: the body must carry the entity's current version; the stored version goes up by one. */
function updated<T extends { id: string; version: number }>(current: T, input: T, store: (next: T) => void): Answer {
  if (input?.version !== current.version) return error(409, 'version.mismatch', `version ${String(input?.version)} is not the current ${current.version}`);
  const next = { ...input, id: current.id, version: current.version + 1 };
  store(next);
  return json(200, next);
}

/** `?name=` (prefix, as Genesys matches it), `pageSize`, `pageNumber`. */
function listing<T extends { name: string }>(all: T[], request: IncomingMessage) {
  const query = new URL(request.url ?? '/', 'http://stand-in').searchParams;
  const name = query.get('name') ?? '';
  const pageSize = Number(query.get('pageSize') ?? 25);
  const pageNumber = Number(query.get('pageNumber') ?? 1);
  const matching = all.filter((item) => item.name.startsWith(name));
  return {
    entities: matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageNumber,
    pageSize,
    total: matching.length,
    pageCount: Math.ceil(matching.length / pageSize),
  };
}

function signature(id: string): string {
  return Buffer.from(`signed:${id}`).toString('base64url');
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (problem) {
    return problem as Error;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Genesys's error body: `{ message, code, status, contextId }`. */
function error(status: number, code: string, message: string): Answer {
  return json(status, { message, code, status, contextId: randomUUID() });
}

export interface Target {
  route: StandInRoute | 'unknown';
  id?: string;
}

const ROUTES: { method: string; pattern: RegExp; route: StandInRoute }[] = [
  { method: 'POST', pattern: /^\/oauth\/token$/, route: 'token' },
  { method: 'POST', pattern: /^\/uploads\/v2\/contactlist$/, route: 'upload' },
  { method: 'POST', pattern: /^\/stand-in\/dial$/, route: 'dial' },
  { method: 'POST', pattern: /^\/stand-in\/next-import$/, route: 'next import' },
  { method: 'GET', pattern: /^\/downloads\/dnclists\/([^/]+)\.csv$/, route: 'download' },
  { method: 'GET|POST', pattern: /^\/api\/v2\/outbound\/contactlists$/, route: 'contactlists' },
  { method: 'GET|PUT', pattern: /^\/api\/v2\/outbound\/contactlists\/([^/]+)$/, route: 'contactlist' },
  { method: 'POST', pattern: /^\/api\/v2\/outbound\/contactlists\/([^/]+)\/contacts\/search$/, route: 'contacts search' },
  { method: 'DELETE', pattern: /^\/api\/v2\/outbound\/contactlists\/([^/]+)\/contacts$/, route: 'contacts delete' },
  { method: 'POST', pattern: /^\/api\/v2\/outbound\/contactlists\/([^/]+)\/clear$/, route: 'clear' },
  { method: 'GET', pattern: /^\/api\/v2\/outbound\/contactlists\/([^/]+)\/importstatus$/, route: 'importstatus' },
  { method: 'GET|POST', pattern: /^\/api\/v2\/outbound\/rulesets$/, route: 'rulesets' },
  { method: 'GET|PUT', pattern: /^\/api\/v2\/outbound\/rulesets\/([^/]+)$/, route: 'ruleset' },
  { method: 'GET|POST', pattern: /^\/api\/v2\/outbound\/dnclists$/, route: 'dnclists' },
  { method: 'GET|PUT', pattern: /^\/api\/v2\/outbound\/dnclists\/([^/]+)$/, route: 'dnclist' },
  { method: 'PATCH', pattern: /^\/api\/v2\/outbound\/dnclists\/([^/]+)\/phonenumbers$/, route: 'dnc phonenumbers' },
  { method: 'GET|POST', pattern: /^\/api\/v2\/outbound\/dnclists\/([^/]+)\/export$/, route: 'dnc export' },
  { method: 'POST', pattern: /^\/api\/v2\/analytics\/conversations\/details\/jobs$/, route: 'details jobs' },
  { method: 'GET', pattern: /^\/api\/v2\/analytics\/conversations\/details\/jobs\/([^/]+)$/, route: 'details job' },
  { method: 'GET', pattern: /^\/api\/v2\/analytics\/conversations\/details\/jobs\/([^/]+)\/results$/, route: 'details results' },
  { method: 'GET', pattern: /^\/api\/v2\/routing\/wrapupcodes$/, route: 'wrapupcodes' },
];

function targetOf(request: IncomingMessage): Target {
  const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
  for (const { method, pattern, route } of ROUTES) {
    const match = pattern.exec(path);
    if (match && method.split('|').includes(request.method ?? 'GET')) return { route, ...(match[1] ? { id: decodeURIComponent(match[1]) } : {}) };
  }
  return { route: 'unknown' };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.from(Buffer.concat(chunks));
}
