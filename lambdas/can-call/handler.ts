import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createLogger } from '../../adapters/logger.ts';
import { isOptedOut } from '../../adapters/consent-store.ts';
import { getDialGateDayAndOptOut, getDialGateMarker } from '../../adapters/dial-gate-store.ts';
import { apiErrors, cachedRead, fromStore, issuesToDetails, maskAccount, pairSchema, reject, respond, router } from '../../adapters/http-api.ts';
import { decideCall, type CallDecision } from '../../domain/api/dial-gate.ts';
import { maskPhone } from '../../domain/values/phone.ts';

/**
 * The real-time dial gate (§9, docs/api.md): GET /v1/can-call?account=…&phone=…[&at=ISO-8601], asked by a Genesys
 * pre-call Data Action before each dial. Answers from the day the last run loaded (its windows and budgets) and
 * the attempts counted from events since; fails closed (an unknown pair or no loaded day is not allowed).
 */
const logger = createLogger();

/** How long the loaded day (the answers' `asOf`) is reused before it is read again. */
const MARKER_TTL_MS = 60_000;

export type CallAnswer = { account: string; phone: string } & CallDecision & { asOf: string | null };

const querySchema = pairSchema.extend({
  at: z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time with offset, e.g. 2026-11-20T10:15:00-05:00' }).optional(),
});

/** The loaded day (the answers' `asOf`), read at most once per TTL. */
const loadedDay = cachedRead(MARKER_TTL_MS, () => getDialGateMarker().then((marker) => marker?.as_of_date ?? null));

/** Forgets the cached loaded day (tests; a process that has just loaded the gate). */
export function clearLoadedDayCache(): void {
  loadedDay.clear();
}

/** The handler with its clock (`now`): the instant answered for when the request names none. */
export function canCallHandler(now: () => Date) {
  const check = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const parsed = querySchema.safeParse(event.queryStringParameters ?? {});
    if (!parsed.success) return reject(logger, 400, 'invalid request', issuesToDetails(parsed.error));
    const { account, phone, at } = parsed.data;
    const instant = at === undefined ? now() : new Date(at);
    // The loaded day is cached; the number's window, the account's budget and attempts and the opt-out item are read
    // together, in one request, on every call (an attempt or a STOP counts from the next request on).
    const day = await fromStore(loadedDay.get());
    const { gate, optedOut } =
      day === null
        ? { gate: undefined, optedOut: await fromStore(isOptedOut(phone)) }
        : await fromStore(getDialGateDayAndOptOut(day, account, phone)).then((read) => ({ gate: read.day, optedOut: read.optedOut }));
    const answer: CallAnswer = { account, phone, ...decideCall(gate, optedOut, instant), asOf: day };
    logger.info('can-call answered', { account: maskAccount(account), phone: maskPhone(phone), canCall: answer.canCall, reasons: answer.reasons });
    return respond(200, answer);
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(apiErrors(logger, 'dial gate'))
    .handler(router(new Map([['/v1/can-call', new Map([['GET', check]])]]), logger));
}

export const handler = canCallHandler(() => new Date());
