import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { handler } from '../../lambdas/can-send-sms/handler.ts';
import { handler as canCall } from '../../lambdas/can-call/handler.ts';
import { postEvents } from './events-route.ts';

/**
 * The can_send_sms HTTP API served locally: node:http on loopback, each request turned into the
 * API Gateway HTTP API (payload 2.0) event the cloud would send, answered by the same handler.
 */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the server on 127.0.0.1 (port 0 = a free port); the local runtime must already be started. */
export async function startApiServer(port: number): Promise<ApiServer> {
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        if (body === undefined) return tooLarge();
        try {
          return invokeApi(toApiEvent(request, body));
        } catch (error) {
          if (error instanceof MalformedRequestTargetError) return malformedTarget();
          throw error;
        }
      })
      .catch(() => ({
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'internal error', details: ['local server failure'] }),
      }))
      .then((result) => {
        response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        response.end(result.body ?? '');
      });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((listening, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => listening());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((closed, fail) => {
        server.close((error) => (error ? fail(error) : closed()));
        server.closeAllConnections();
      }),
  };
}

/** Calls the handler of the route as API Gateway would (can-call, can_send_sms); `/v1/events` is the local event intake. */
export function invokeApi(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath === '/v1/events') return postEvents(event);
  if (event.rawPath === '/v1/can-call') return canCall(event, lambdaContext('can-call', 512, 10_000));
  return handler(event, lambdaContext('can-send-sms', 512, 10_000));
}

export interface ApiRequest {
  method: string;
  /** Path and optional query string, e.g. `/v1/can-send-sms?account=…`. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** An HTTP API payload 2.0 event for a request on the `$default` stage. */
export function apiEvent(request: ApiRequest): APIGatewayProxyEventV2 {
  const url = requestTarget(request.url);
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method.toUpperCase(),
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined && request.body !== '' ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/** A request target that is neither `/path?query` nor `http(s)://host/path` (answered 400, like API Gateway). */
class MalformedRequestTargetError extends Error {
  constructor() {
    super('malformed request target (expected /path?query)');
  }
}

/**
 * The path and query of a request target: origin form (`/path?query`, `//` included, which API Gateway also
 * takes as a path) or absolute form (`http://host/path`); anything else throws MalformedRequestTargetError.
 */
function requestTarget(target: string): URL {
  const base = 'http://127.0.0.1';
  const origin = target.startsWith('/');
  let url: URL;
  try {
    url = new URL(origin ? base + target : target);
  } catch {
    throw new MalformedRequestTargetError();
  }
  if (origin) return url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MalformedRequestTargetError();
  return new URL(base + url.pathname + url.search);
}

function toApiEvent(request: IncomingMessage, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return apiEvent({ method: request.method ?? 'GET', url: request.url ?? '/', headers, body });
}

/** The body as text, or undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Reads to the end even past the limit: stopping early would destroy the socket before the 413 is sent.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function malformedTarget(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 400,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: 'bad request', details: ['request target: expected /path?query'] }),
  };
}

function tooLarge(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 413,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: 'payload too large', details: [`body: more than ${MAX_BODY_BYTES} bytes`] }),
  };
}
