import middy from '@middy/core';
import { createLogger } from '../../adapters/logger.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { decideSms, type PhoneConsentRow, type SmsDenialReason } from '../../domain/consent/consent.ts';
import { maskPhone } from '../../domain/values/phone.ts';
import { batchGetConsent, getConsentAndOptOut, getLoadMarker, optOutKey } from '../../adapters/consent-store.ts';
import {
  apiErrors,
  cachedRead,
  fromStore,
  issuesToDetails,
  maskAccount,
  pairSchema,
  reject,
  respond,
  router,
  type Pair,
  type Route,
} from '../../adapters/http-api.ts';

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

const batchSchema = z.object({
  items: z
    .array(pairSchema, { error: (issue) => (issue.input === undefined ? 'required' : 'expected an array') })
    .min(1, `expected 1 to ${BATCH_MAX_ITEMS} items`)
    .max(BATCH_MAX_ITEMS, `expected 1 to ${BATCH_MAX_ITEMS} items`),
});

/** `application/json` or a `+json` type, with parameters (charset) or not. */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;.*)?$/i;

const routes = new Map<string, Map<string, Route>>([
  ['/v1/can-send-sms', new Map([['GET', checkOne]])],
  ['/v1/can-send-sms/batch', new Map([['POST', checkBatch]])],
]);

async function checkOne(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = pairSchema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) return reject(logger, 400, 'invalid request', issuesToDetails(parsed.error));
  const pair = parsed.data;
  // The pair's row and its number's opt-out item in one request (never cached); asOf from the cached load marker.
  const [{ row, optedOut }, asOf] = await Promise.all([fromStore(getConsentAndOptOut(pair.account, pair.phone)), fromStore(currentAsOf())]);
  const answer = toAnswer(pair, row, optedOut, asOf);
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
  if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType))
    return reject(logger, 400, 'invalid request', ['content-type: expected application/json']);
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw.trim() === '') return reject(logger, 400, 'invalid request', ['body: required, a JSON object {"items":[{"account","phone"},…]}']);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return reject(logger, 400, 'invalid request', ['body: not valid JSON']);
  }
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) return reject(logger, 400, 'invalid request', issuesToDetails(parsed.error));

  const pairs = parsed.data.items;
  // The pairs' rows and their numbers' opt-out items, read together.
  const keys = [...pairs.map((pair) => ({ account_number: pair.account, phone_number: pair.phone })), ...pairs.map((pair) => optOutKey(pair.phone))];
  const [rows, asOf] = await Promise.all([fromStore(batchGetConsent(keys)), fromStore(currentAsOf())]);
  const results = pairs.map((pair, index) => toAnswer(pair, rows[index], rows[pairs.length + index] !== undefined, asOf));
  logger.info('can_send_sms batch answered', { items: results.length, canSendSms: results.filter((result) => result.canSendSms).length });
  return respond(200, { results });
}

function toAnswer(pair: Pair, row: PhoneConsentRow | undefined, optedOut: boolean, asOf: string | null): SmsAnswer {
  return { account: pair.account, phone: pair.phone, ...decideSms(row, optedOut), asOf };
}

/** `asOf` from the load marker, read at most once per TTL. */
const asOfCache = cachedRead(AS_OF_TTL_MS, () => getLoadMarker().then((marker) => marker?.as_of_date ?? null));
const currentAsOf = () => asOfCache.get();

/** Forgets the cached `asOf` (tests; a process that has just loaded consent). */
export function clearAsOfCache(): void {
  asOfCache.clear();
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(apiErrors(logger, 'consent store'))
  .handler(router(routes, logger));
