import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { accountSchema, phoneSchema } from '../domain/api/input-fields.ts';

/**
 * What the HTTP API handlers (can_send_sms, can-call) share: the (account, phone) parameters, routing by method and
 * path, JSON answers, 400 details that say where each problem is without echoing values, and the answers to a store
 * that does not answer (503) or a bug (500), both without request data.
 */
export interface ErrorBody {
  error: string;
  details: string[];
}

export const pairSchema = z.object({ account: accountSchema, phone: phoneSchema });
export type Pair = z.output<typeof pairSchema>;

export type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Answers through the route of the event's method and path: 404 (the path not echoed: it may hold a phone) or 405 otherwise. */
export function router(routes: ReadonlyMap<string, ReadonlyMap<string, Route>>, logger: Logger): Route {
  return async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = routePath(event);
    const methods = routes.get(path);
    if (!methods) return reject(logger, 404, 'not found', [`no route for ${method} on this path`]);
    const handle = methods.get(method);
    if (!handle) {
      const allowed = [...methods.keys()].join(', ');
      return reject(logger, 405, 'method not allowed', [`${path} accepts ${allowed}, not ${method}`], { allow: allowed });
    }
    return await handle(event);
  };
}

/** HTTP APIs on a named stage put the stage in rawPath; the `$default` stage does not. */
function routePath(event: APIGatewayProxyEventV2): string {
  const stage = event.requestContext.stage;
  const prefix = `/${stage}`;
  if (stage && stage !== '$default' && event.rawPath.startsWith(`${prefix}/`)) return event.rawPath.slice(prefix.length);
  return event.rawPath;
}

/** `items[3].phone` style location of a zod issue. */
export function issuesToDetails(error: z.ZodError): string[] {
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

export function respond(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function reject(
  logger: Logger,
  statusCode: number,
  error: string,
  details: string[],
  headers?: Record<string, string>,
): APIGatewayProxyStructuredResultV2 {
  logger.info('request rejected', { statusCode, details });
  return respond(statusCode, { error, details } satisfies ErrorBody, headers);
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** A store failure becomes StoreUnavailableError (answered 503). */
export function fromStore<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: Error) => {
    throw new StoreUnavailableError(error.name, { cause: error });
  });
}

/** The middy error handler of the API handlers: only store failures and bugs get here; generic messages, no request data logged. */
export function apiErrors(logger: Logger, store: string): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof StoreUnavailableError) {
        logger.error(`${store} unavailable`, { cause: error.message });
        request.response = respond(503, { error: 'service unavailable', details: [`the ${store} did not answer; retry shortly`] } satisfies ErrorBody, {
          'retry-after': '1',
        });
      } else {
        logger.error('unexpected error', { errorName: error?.name });
        request.response = respond(500, { error: 'internal error', details: ['unexpected error; see the service logs'] } satisfies ErrorBody);
      }
    },
  };
}

/** A value read at most once per `ttlMs` (concurrent callers share the read; a failed read is not kept). */
export function cachedRead<T>(ttlMs: number, read: () => Promise<T>): { get(): Promise<T>; clear(): void } {
  let cache: { value: Promise<T>; expiresAt: number } | undefined;
  return {
    get() {
      const now = Date.now();
      if (cache && cache.expiresAt > now) return cache.value;
      const value = read();
      const entry = { value, expiresAt: now + ttlMs };
      cache = entry;
      value.catch(() => {
        if (cache === entry) cache = undefined;
      });
      return value;
    },
    clear() {
      cache = undefined;
    },
  };
}
