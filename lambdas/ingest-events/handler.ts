import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { createLogger } from '../../adapters/logger.ts';
import { parseEvent } from '../../domain/api/events.ts';
import { ingestEvents, type IngestCounts } from './ingest.ts';

const logger = createLogger();

/** An event that cannot be read: it fails the invocation, so after the retries it lands in the dead-letter queue (counted, alarmed). */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

/**
 * The dialer and SMS events from the event bus (docs/api.md "Events"): `detail` is an event of the local form,
 * validated with zod and ingested as `outbound events ingest` does; the problems of a malformed one are logged
 * and thrown without its values.
 */
async function ingest(event: EventBridgeEvent<string, unknown>): Promise<IngestCounts> {
  const parsed = parseEvent(event.detail);
  if (!parsed.ok) {
    logger.warn('event rejected', { eventId: event.id, detailType: event['detail-type'], problems: parsed.problems });
    throw new MalformedEventError(`event ${event.id}: ${parsed.problems.join('; ')}`);
  }
  const counts = await ingestEvents([parsed.event]);
  logger.info('event ingested', { eventId: event.id, type: parsed.event.type, ...counts });
  return counts;
}

export const handler = middy<EventBridgeEvent<string, unknown>, IngestCounts>().use(injectLambdaContext(logger)).handler(ingest);
