import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { respond } from '../../adapters/http-api.ts';
import { parseEvents } from '../../domain/api/events.ts';
import { ingestEvents } from '../../lambdas/ingest-events/ingest.ts';

/**
 * `POST /v1/events` of the local server (docs/api.md "Events"): a JSON array of events in the local form,
 * ingested by the same code as `outbound events ingest` and the cloud Lambda. All or nothing: one event that
 * cannot be read answers 400 with each problem by index (no values echoed) and ingests none.
 */
export async function postEvents(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.requestContext.http.method.toUpperCase() !== 'POST') {
    return respond(405, { error: 'method not allowed', details: ['/v1/events accepts POST'] }, { allow: 'POST' });
  }
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return respond(400, { error: 'invalid request', details: ['body: expected a JSON array of events'] });
  }
  if (!Array.isArray(body)) return respond(400, { error: 'invalid request', details: ['body: expected a JSON array of events'] });
  const { events, rejected } = parseEvents(body);
  if (rejected.length > 0) {
    return respond(400, {
      error: 'invalid request',
      details: rejected.flatMap(({ position, problems }) => problems.map((problem) => `[${position}].${problem}`)),
    });
  }
  try {
    return respond(200, { received: events.length, ...(await ingestEvents(events)) });
  } catch {
    return respond(
      503,
      { error: 'service unavailable', details: ['the event store did not answer; retry shortly (ingesting again counts nothing twice)'] },
      { 'retry-after': '1' },
    );
  }
}
