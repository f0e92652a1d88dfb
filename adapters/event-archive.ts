import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { optOutContactValue, type OptOutEvent } from '../domain/api/events.ts';
import { optOutEventKey } from '../domain/run/run-layout.ts';
import { s3Client } from './aws-clients.ts';

/**
 * Keeps an opt-out event in the lake for the opt-out register (docs/optout-register.md): one gzip JSON line
 * under `events/opt-outs/date=<day>/<event id>.jsonl.gz`, so the same event delivered again is the same object.
 */
export async function archiveOptOut(event: OptOutEvent): Promise<void> {
  const line = { type: event.type, account: event.account, contact_value: optOutContactValue(event), at: event.at, event_date: event.day };
  await s3Client().send(
    new PutObjectCommand({
      Bucket: requireEnv(envNames.lakeBucket),
      Key: optOutEventKey(event.day, event.id),
      Body: gzipSync(`${JSON.stringify(line)}\n`),
      ContentType: 'application/gzip',
    }),
  );
}
