import middy from '@middy/core';
import { createLogger } from '../../adapters/logger.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { ACCOUNT_NUMBER, decideSms, type PhoneConsentRow, type SmsDenialReason } from '../../domain/consent.ts';
import { maskPhone, normalizePhone } from '../../domain/phone.ts';
import { batchGetConsent, getConsent, getLoadMarker } from '../../adapters/consent-store.ts';

/**
 * can_send_sms (§4, §9): one handler for the HTTP API routes
 *   GET  /v1/can-send-sms?account=…&phone=…
 *   POST /v1/can-send-sms/batch   {"items":[{"account","phone"},…]}
 * Bad input is answered 400 with every problem and where it is; unknown pairs fail closed (NOT_FOUND).
 */
const logger = createLogger();

export const BATCH_MAX_ITEMS = 100;
/** How long the load marker (the answers' `asOf`) is reused before it is read again. */
const AS_OF_TTL_MS = 60_000;

export interface SmsAnswer {
  account: string;
  /** E.164 form of the phone asked about. */
  phone: string;
  canSendSms: boolean;
  reasons: SmsDenialReason[];
  /** Load date of the last completed consent load; null before the first load. */
  asOf: string | null;
}

export interface ErrorBody {
  error: string;
  details: string[];
}

const text = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${what} as a string`) });

const pairSchema = z.object({
  account: text('16 digits').trim().regex(ACCOUNT_NUMBER, 'expected 16 digits'),
  phone: text('a US phone number').transform((value, ctx) => {
    const normalized = normalizePhone(value);
    if (normalized.ok) return normalized.e164;
    ctx.addIssue({ code: 'custom', message: `not a valid US phone number (${normalized.reason})` });
    return z.NEVER;
  }),
});
type Pair = z.output<typeof pairSchema>;

const batchSchema = z.object({
  items: z
    .array(pairSchema, { error: (issue) => (issue.input === undefined ? 'required' : 'expected an array') })
    .min(1, `expected 1 to ${BATCH_MAX_ITEMS} items`)
    .max(BATCH_MAX_ITEMS, `expected 1 to ${BATCH_MAX_ITEMS} items`),
});

/** `application/json` or a `+json` type, with parameters (charset) or not. */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;.*)?$/i;

type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
const routes = new Map<string, Map<string, Route>>([
  ['/v1/can-send-sms', new Map([['GET', checkOne]])],
  ['/v1/can-send-sms/batch', new Map([['POST', checkBatch]])],
]);

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = routePath(event);
  const methods = routes.get(path);
  // The path is not echoed: it may hold a phone number or an account.
  if (!methods) return reject(404, 'not found', [`no route for ${method} on this path`]);
  const handle = methods.get(method);
  if (!handle) {
    const allowed = [...methods.keys()].join(', ');
    return reject(405, 'method not allowed', [`${path} accepts ${allowed}, not ${method}`], { allow: allowed });
  }
  return handle(event);
}

async function checkOne(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = pairSchema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) return reject(400, 'invalid request', issuesToDetails(parsed.error));
  const pair = parsed.data;
  const [row, asOf] = await Promise.all([fromStore(getConsent(pair.account, pair.phone)), fromStore(currentAsOf())]);
  const answer = toAnswer(pair, row, asOf);
  logger.info('can_send_sms answered', {
    account: maskAccount(answer.account),
    phone: maskPhone(answer.phone),
    canSendSms: answer.canSendSms,
    reasons: answer.reasons,
  });
  return respond(200, answer);
}

async function checkBatch(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType)) return reject(400, 'invalid request', ['content-type: expected application/json']);
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw.trim() === '') return reject(400, 'invalid request', ['body: required, a JSON object {"items":[{"account","phone"},…]}']);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return reject(400, 'invalid request', ['body: not valid JSON']);
  }
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) return reject(400, 'invalid request', issuesToDetails(parsed.error));

  const pairs = parsed.data.items;
  const keys = pairs.map((pair) => ({ account_number: pair.account, phone_number: pair.phone }));
  const [rows, asOf] = await Promise.all([fromStore(batchGetConsent(keys)), fromStore(currentAsOf())]);
  const results = pairs.map((pair, index) => toAnswer(pair, rows[index], asOf));
  logger.info('can_send_sms batch answered', { items: results.length, canSendSms: results.filter((result) => result.canSendSms).length });
  return respond(200, { results });
}

function toAnswer(pair: Pair, row: PhoneConsentRow | undefined, asOf: string | null): SmsAnswer {
  return { account: pair.account, phone: pair.phone, ...decideSms(row), asOf };
}

/** HTTP APIs on a named stage put the stage in rawPath; the `$default` stage does not. */
function routePath(event: APIGatewayProxyEventV2): string {
  const stage = event.requestContext.stage;
  const prefix = `/${stage}`;
  if (stage && stage !== '$default' && event.rawPath.startsWith(`${prefix}/`)) return event.rawPath.slice(prefix.length);
  return event.rawPath;
}

let asOfCache: { value: Promise<string | null>; expiresAt: number } | undefined;

/** `asOf` from the load marker, read at most once per TTL (concurrent requests share the read). */
function currentAsOf(): Promise<string | null> {
  const now = Date.now();
  if (asOfCache && asOfCache.expiresAt > now) return asOfCache.value;
  const value = getLoadMarker().then((marker) => marker?.as_of_date ?? null);
  const entry = { value, expiresAt: now + AS_OF_TTL_MS };
  asOfCache = entry;
  value.catch(() => {
    if (asOfCache === entry) asOfCache = undefined;
  });
  return value;
}

/** Forgets the cached `asOf` (tests; a process that has just loaded consent). */
export function clearAsOfCache(): void {
  asOfCache = undefined;
}

class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

function fromStore<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: Error) => {
    throw new StoreUnavailableError(error.name, { cause: error });
  });
}

/** `items[3].phone` style location of a zod issue. */
function issuesToDetails(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`),
      '',
    );
    return `${where || 'body'}: ${issue.message}`;
  });
}

export function maskAccount(account: string): string {
  return account.length <= 4 ? '****' : `${'*'.repeat(account.length - 4)}${account.slice(-4)}`;
}

function respond(statusCode: number, body: SmsAnswer | { results: SmsAnswer[] } | ErrorBody, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

function reject(statusCode: number, error: string, details: string[], headers?: Record<string, string>): APIGatewayProxyStructuredResultV2 {
  logger.info('request rejected', { statusCode, details });
  return respond(statusCode, { error, details }, headers);
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use({
    // Only store failures and bugs get here; the message is generic and no request data is logged.
    onError: async (request) => {
      const error = request.error;
      if (error instanceof StoreUnavailableError) {
        logger.error('consent store unavailable', { cause: error.message });
        request.response = respond(503, { error: 'service unavailable', details: ['the consent store did not answer; retry shortly'] }, { 'retry-after': '1' });
      } else {
        logger.error('unexpected error', { errorName: error?.name });
        request.response = respond(500, { error: 'internal error', details: ['unexpected error; see the service logs'] });
      }
    },
  })
  .handler(route);
