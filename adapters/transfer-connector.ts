import { posix } from 'node:path';
import {
  ListFileTransferResultsCommand,
  StartFileTransferCommand,
  type StartFileTransferCommandInput,
  TransferClient,
  type ConnectorFileTransferResult,
} from '@aws-sdk/client-transfer';
import { sha256Hex } from '../domain/exports/manifest.ts';
import { readObject } from './export-files.ts';
import type { DeliveredFile } from './sftp-delivery.ts';

/**
 * Partner delivery through an AWS Transfer Family SFTP connector (docs/exports.md "Partner delivery"): the Lambda
 * cannot reach the partner itself, so the connector (its pinned host key and its secret are its own configuration)
 * copies the S3 objects to the partner's directory. Each send is polled to COMPLETED or FAILED within the deadline;
 * then every file is retrieved back from the partner's directory through the same connector into the check
 * directory, and the copy read back must have the manifest's size and sha256.
 */
export interface ConnectorTarget {
  connectorId: string;
  /** The partner's directory (absolute). */
  remoteDirectory: string;
  /** `/bucket/prefix/` the files are retrieved back into for the reconciliation (this run's own). */
  checkDirectory: string;
}

export interface ConnectorFile {
  /** `/bucket/key` of the S3 object sent. */
  sourcePath: string;
  /** The manifest's size and sha256 of the file. */
  bytes: number;
  sha256: string;
}

export interface ConnectorOptions {
  /** Epoch ms by which the transfers must have ended (the Lambda's time budget). */
  deadline: number;
  /** Wait between polls (default 2 s). */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  transfer?: TransferClient;
}

export class ConnectorDeliveryError extends Error {
  override name = 'ConnectorDeliveryError';
}

/** StartFileTransfer takes at most 10 SendFilePaths (or RetrieveFilePaths) per call. */
export const MAX_FILES_PER_TRANSFER = 10;

interface Poll {
  where: string;
  deadline: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
}

let defaultTransfer: TransferClient | undefined;

export async function deliverThroughConnector(target: ConnectorTarget, files: readonly ConnectorFile[], options: ConnectorOptions): Promise<DeliveredFile[]> {
  if (!options.transfer && !defaultTransfer) defaultTransfer = new TransferClient({});
  const transfer = options.transfer ?? defaultTransfer!;
  const poll: Poll = {
    where: `connector ${target.connectorId}`,
    deadline: options.deadline,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms))),
    pollMs: options.pollMs ?? 2_000,
  };
  const names = new Map(files.map((file) => [posix.basename(file.sourcePath), file]));
  if (names.size !== files.length) throw new ConnectorDeliveryError(`${poll.where}: two files of one delivery have the same name`);
  const remotePaths = [...names.keys()].map((name) => posix.join(target.remoteDirectory, name));

  // 1. Send, 10 files a transfer, each to COMPLETED.
  await transferAll(
    transfer,
    files.map((file) => file.sourcePath),
    (batch) => ({ SendFilePaths: batch, RemoteDirectoryPath: target.remoteDirectory }),
    target.connectorId,
    poll,
    'send',
  );

  // 2. Reconcile: each file retrieved back from the partner's directory; the copy must be the manifest's file.
  await transferAll(
    transfer,
    remotePaths,
    (batch) => ({ RetrieveFilePaths: batch, LocalDirectoryPath: target.checkDirectory }),
    target.connectorId,
    poll,
    'read-back',
  );
  const delivered: DeliveredFile[] = [];
  const problems: string[] = [];
  for (const [name, file] of names) {
    const remotePath = posix.join(target.remoteDirectory, name);
    const copy = await digestObject(posix.join(target.checkDirectory, name), poll.where);
    if (copy.bytes !== file.bytes || copy.sha256 !== file.sha256) {
      problems.push(`${remotePath}: read back ${copy.bytes} bytes, sha256 ${copy.sha256}; manifest ${file.bytes} bytes, sha256 ${file.sha256}`);
    } else {
      delivered.push({ remotePath, ...copy });
    }
  }
  if (problems.length > 0)
    throw new ConnectorDeliveryError(`${poll.where}: the delivery does not reconcile (read back into ${target.checkDirectory}): ${problems.join('; ')}`);
  return delivered;
}

/** StartFileTransfer over the paths, 10 a call, then each transfer polled until all its files are COMPLETED. */
async function transferAll(
  transfer: TransferClient,
  paths: readonly string[],
  request: (batch: string[]) => Omit<StartFileTransferCommandInput, 'ConnectorId'>,
  connectorId: string,
  poll: Poll,
  what: 'send' | 'read-back',
): Promise<void> {
  const transfers: { transferId: string; paths: string[] }[] = [];
  for (let start = 0; start < paths.length; start += MAX_FILES_PER_TRANSFER) {
    const batch = paths.slice(start, start + MAX_FILES_PER_TRANSFER);
    const { TransferId } = await transfer.send(new StartFileTransferCommand({ ConnectorId: connectorId, ...request(batch) }));
    if (!TransferId) throw new ConnectorDeliveryError(`${poll.where}: StartFileTransfer (${what}) answered without a transfer id`);
    transfers.push({ transferId: TransferId, paths: batch });
  }
  for (const { transferId, paths: batch } of transfers) {
    const where = `${poll.where}, ${what} transfer ${transferId}`;
    for (;;) {
      const results = await transferResults(transfer, connectorId, transferId);
      const failed = results.filter((result) => result.StatusCode === 'FAILED');
      if (failed.length > 0) {
        throw new ConnectorDeliveryError(
          `${where}: ${failed.map((result) => `${posix.basename(result.FilePath ?? '?')} FAILED (${[result.FailureCode, result.FailureMessage].filter(Boolean).join(': ') || 'no reason given'})`).join('; ')}`,
        );
      }
      const completed = new Set(results.filter((result) => result.StatusCode === 'COMPLETED').map((result) => posix.basename(result.FilePath ?? '')));
      const pending = batch.filter((path) => !completed.has(posix.basename(path)));
      if (pending.length === 0) break;
      if (poll.now() >= poll.deadline) {
        throw new ConnectorDeliveryError(`${where}: ${pending.map((path) => posix.basename(path)).join(', ')} not COMPLETED when the time budget ran out`);
      }
      await poll.sleep(poll.pollMs);
    }
  }
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

/** Size and sha256 of the object at `/bucket/key`. */
async function digestObject(path: string, where: string): Promise<{ bytes: number; sha256: string }> {
  const [, bucket, key] = /^\/([^/]+)\/(.+)$/.exec(path) ?? [];
  if (!bucket || !key) throw new ConnectorDeliveryError(`${where}: ${path} is not /bucket/key`);
  const content = await readObject(bucket, key);
  return { bytes: content.length, sha256: sha256Hex(content) };
}
