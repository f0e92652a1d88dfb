import { posix } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ListFileTransferResultsCommand,
  StartDirectoryListingCommand,
  StartFileTransferCommand,
  TransferClient,
  type ConnectorFileTransferResult,
} from '@aws-sdk/client-transfer';
import { z } from 'zod';
import { s3Client } from './aws-clients.ts';

/**
 * Partner delivery through an AWS Transfer Family SFTP connector (docs/exports.md "Partner delivery"): the Lambda
 * cannot reach the partner itself, so the connector (its pinned host key and its secret are its own configuration)
 * copies the S3 objects to the partner's directory. Each send is polled to COMPLETED or FAILED within the deadline,
 * then reconciled through a directory listing of the partner's directory (the connector writes it to S3 as JSON):
 * every file must be there with the manifest's size. A connector cannot read a file back, so the sha256 is not
 * checked on the partner's side (it is checked in S3 before the send).
 */
export interface ConnectorTarget {
  connectorId: string;
  /** The partner's directory (absolute). */
  remoteDirectory: string;
  /** `/bucket/prefix` the connector writes its directory listings to. */
  listingDirectory: string;
}

export interface ConnectorFile {
  /** `/bucket/key` of the S3 object sent. */
  sourcePath: string;
  /** The manifest's size of the file. */
  bytes: number;
}

export interface ConnectorDelivered {
  remotePath: string;
  bytes: number;
}

export interface ConnectorOptions {
  /** Epoch ms by which the transfers and the listing must have ended (the Lambda's time budget). */
  deadline: number;
  /** Wait between polls (default 2 s). */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  transfer?: TransferClient;
  s3?: S3Client;
}

export class ConnectorDeliveryError extends Error {
  override name = 'ConnectorDeliveryError';
}

/** StartFileTransfer takes at most 10 SendFilePaths per call. */
export const MAX_FILES_PER_TRANSFER = 10;
/** StartDirectoryListing lists at most 10,000 items. */
const MAX_LISTING_ITEMS = 10_000;

/** The connector's listing file (Transfer Family "List contents of a remote directory"). */
const listingSchema = z.object({
  files: z.array(z.object({ filePath: z.string(), size: z.number().optional() })).default([]),
  paths: z.array(z.object({ path: z.string() })).default([]),
  truncated: z.boolean().default(false),
});

let defaultTransfer: TransferClient | undefined;

export async function deliverThroughConnector(target: ConnectorTarget, files: readonly ConnectorFile[], options: ConnectorOptions): Promise<ConnectorDelivered[]> {
  if (!options.transfer && !defaultTransfer) defaultTransfer = new TransferClient({});
  const transfer = options.transfer ?? defaultTransfer!;
  const s3 = options.s3 ?? s3Client();
  const where = `connector ${target.connectorId}`;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const pollMs = options.pollMs ?? 2_000;
  const names = new Map(files.map((file) => [posix.basename(file.sourcePath), file]));
  if (names.size !== files.length) throw new ConnectorDeliveryError(`${where}: two files of one delivery have the same name`);

  // 1. Send, 10 files a transfer.
  const transfers: { transferId: string; files: ConnectorFile[] }[] = [];
  for (let start = 0; start < files.length; start += MAX_FILES_PER_TRANSFER) {
    const batch = files.slice(start, start + MAX_FILES_PER_TRANSFER);
    const { TransferId } = await transfer.send(
      new StartFileTransferCommand({ ConnectorId: target.connectorId, SendFilePaths: batch.map((file) => file.sourcePath), RemoteDirectoryPath: target.remoteDirectory }),
    );
    if (!TransferId) throw new ConnectorDeliveryError(`${where}: StartFileTransfer answered without a transfer id`);
    transfers.push({ transferId: TransferId, files: batch });
  }

  // 2. Each transfer to COMPLETED or FAILED, within the deadline.
  for (const { transferId, files: batch } of transfers) {
    for (;;) {
      const results = await transferResults(transfer, target.connectorId, transferId);
      const failed = results.filter((result) => result.StatusCode === 'FAILED');
      if (failed.length > 0) {
        throw new ConnectorDeliveryError(
          `${where}, transfer ${transferId}: ${failed.map((result) => `${posix.basename(result.FilePath ?? '?')} FAILED (${[result.FailureCode, result.FailureMessage].filter(Boolean).join(': ') || 'no reason given'})`).join('; ')}`,
        );
      }
      const completed = new Set(results.filter((result) => result.StatusCode === 'COMPLETED').map((result) => posix.basename(result.FilePath ?? '')));
      const pending = batch.filter((file) => !completed.has(posix.basename(file.sourcePath)));
      if (pending.length === 0) break;
      if (now() >= options.deadline) {
        throw new ConnectorDeliveryError(`${where}, transfer ${transferId}: ${pending.map((file) => posix.basename(file.sourcePath)).join(', ')} not COMPLETED when the time budget ran out`);
      }
      await sleep(pollMs);
    }
  }

  // 3. Reconcile: the partner's directory listed through the connector; every file there with the manifest's size.
  const { OutputFileName } = await transfer.send(
    new StartDirectoryListingCommand({ ConnectorId: target.connectorId, RemoteDirectoryPath: target.remoteDirectory, OutputDirectoryPath: target.listingDirectory, MaxItems: MAX_LISTING_ITEMS }),
  );
  if (!OutputFileName) throw new ConnectorDeliveryError(`${where}: StartDirectoryListing answered without an output file name`);
  const listingPath = posix.join(target.listingDirectory, OutputFileName);
  const listing = await awaitListing(s3, listingPath, { where, deadline: options.deadline, now, sleep, pollMs });
  const listed = new Map(listing.files.map((file) => [posix.basename(file.filePath), file.size]));
  const delivered: ConnectorDelivered[] = [];
  const problems: string[] = [];
  for (const [name, file] of names) {
    const remotePath = posix.join(target.remoteDirectory, name);
    if (!listed.has(name)) {
      problems.push(`${remotePath} is not in the partner's directory${listing.truncated ? ` (the listing was truncated at ${MAX_LISTING_ITEMS} items)` : ''}`);
    } else if (listed.get(name) !== file.bytes) {
      problems.push(`${remotePath}: on the server ${listed.get(name) ?? 'no size'} bytes; manifest ${file.bytes} bytes`);
    } else {
      delivered.push({ remotePath, bytes: file.bytes });
    }
  }
  if (problems.length > 0) throw new ConnectorDeliveryError(`${where}: the delivery does not reconcile (listing ${listingPath}): ${problems.join('; ')}`);
  return delivered;
}

async function transferResults(transfer: TransferClient, connectorId: string, transferId: string): Promise<ConnectorFileTransferResult[]> {
  const results: ConnectorFileTransferResult[] = [];
  let token: string | undefined;
  do {
    const page = await transfer.send(new ListFileTransferResultsCommand({ ConnectorId: connectorId, TransferId: transferId, NextToken: token }));
    results.push(...(page.FileTransferResults ?? []));
    token = page.NextToken;
  } while (token);
  return results;
}

/** The listing file, once the connector has written it (it is written asynchronously); past the deadline, fails. */
async function awaitListing(
  s3: S3Client, path: string, options: { where: string; deadline: number; now: () => number; sleep: (ms: number) => Promise<void>; pollMs: number },
): Promise<z.infer<typeof listingSchema>> {
  const [, bucket, key] = /^\/([^/]+)\/(.+)$/.exec(path) ?? [];
  if (!bucket || !key) throw new ConnectorDeliveryError(`${options.where}: listing path ${path} is not /bucket/key`);
  for (;;) {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await object.Body!.transformToString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new ConnectorDeliveryError(`${options.where}: the directory listing s3://${bucket}/${key} is not JSON`);
      }
      const parsed = listingSchema.safeParse(value);
      if (!parsed.success) throw new ConnectorDeliveryError(`${options.where}: the directory listing s3://${bucket}/${key} is not a connector listing: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    } catch (error) {
      if ((error as Error).name !== 'NoSuchKey') throw error;
    }
    if (options.now() >= options.deadline) throw new ConnectorDeliveryError(`${options.where}: the directory listing s3://${bucket}/${key} was not written when the time budget ran out`);
    await options.sleep(options.pollMs);
  }
}
