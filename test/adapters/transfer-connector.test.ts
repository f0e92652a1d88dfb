import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { ListFileTransferResultsCommand, StartDirectoryListingCommand, StartFileTransferCommand, TransferClient } from '@aws-sdk/client-transfer';
import { deliverThroughConnector, type ConnectorFile } from '../../adapters/transfer-connector.ts';

/** Delivery through a Transfer Family SFTP connector, against mocked Transfer and S3 clients. */
const transfer = mockClient(TransferClient);
const s3 = mockClient(S3Client);

const CONNECTOR = 'c-0123456789abcdef0';
const target = { connectorId: CONNECTOR, remoteDirectory: '/inbound', listingDirectory: '/exports-bucket/delivery-listings/simm/' };
const file = (name: string, bytes: number): ConnectorFile => ({ sourcePath: `/exports-bucket/exports/date=2026-11-20/COLLECTIONS/${name}`, bytes });
const body = (value: unknown) => ({ Body: { transformToString: async () => JSON.stringify(value) } }) as never;

/** A clock that moves on by each sleep. */
function clock() {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
  };
}
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error);

beforeEach(() => {
  transfer.reset();
  s3.reset();
  transfer.on(StartFileTransferCommand).resolves({ TransferId: 't-1' });
  transfer.on(StartDirectoryListingCommand).resolves({ ListingId: 'l-1', OutputFileName: `${CONNECTOR}-l-1.json` });
});
afterAll(() => {
  transfer.restore();
  s3.restore();
});

describe('deliverThroughConnector', () => {
  it('sends the S3 objects to the remote directory, waits for COMPLETED, and reconciles sizes from the directory listing', async () => {
    // Prepare: queued, then completed; the listing lands on the second look
    transfer
      .on(ListFileTransferResultsCommand)
      .resolvesOnce({ FileTransferResults: [{ FilePath: file('SIMM.csv', 0).sourcePath, StatusCode: 'IN_PROGRESS' }] })
      .resolves({ FileTransferResults: [{ FilePath: file('SIMM.csv', 0).sourcePath, StatusCode: 'COMPLETED' }] });
    s3.on(GetObjectCommand)
      .rejectsOnce(new NoSuchKey({ message: 'no', $metadata: {} }))
      .resolves(body({ files: [{ filePath: '/inbound/SIMM.csv', modifiedTimestamp: '2026-11-20T11:00:00Z', size: 120 }, { filePath: 'OLD.csv', size: 3 }], paths: [], truncated: false }));
    const time = clock();
    // Act
    const delivered = await deliverThroughConnector(target, [file('SIMM.csv', 120)], { deadline: 60_000, ...time, transfer: new TransferClient({}), s3: new S3Client({}) });
    // Assess
    expect(delivered).toEqual([{ remotePath: '/inbound/SIMM.csv', bytes: 120 }]);
    expect(transfer.commandCalls(StartFileTransferCommand)[0]!.args[0].input).toEqual({
      ConnectorId: CONNECTOR, SendFilePaths: ['/exports-bucket/exports/date=2026-11-20/COLLECTIONS/SIMM.csv'], RemoteDirectoryPath: '/inbound',
    });
    expect(transfer.commandCalls(StartDirectoryListingCommand)[0]!.args[0].input).toEqual({
      ConnectorId: CONNECTOR, RemoteDirectoryPath: '/inbound', OutputDirectoryPath: '/exports-bucket/delivery-listings/simm/', MaxItems: 10_000,
    });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'exports-bucket', Key: `delivery-listings/simm/${CONNECTOR}-l-1.json` });
  });

  it('starts one transfer per 10 files', async () => {
    // Prepare
    const files = Array.from({ length: 12 }, (_, index) => file(`F${index}.csv`, index));
    transfer.on(ListFileTransferResultsCommand).resolves({ FileTransferResults: files.map((f) => ({ FilePath: f.sourcePath, StatusCode: 'COMPLETED' })) });
    s3.on(GetObjectCommand).resolves(body({ files: files.map((f, index) => ({ filePath: `F${index}.csv`, size: f.bytes })) }));
    // Act
    await deliverThroughConnector(target, files, { deadline: 60_000, ...clock() });
    // Assess
    expect(transfer.commandCalls(StartFileTransferCommand).map((call) => call.args[0].input.SendFilePaths!.length)).toEqual([10, 2]);
  });

  it('fails a FAILED transfer, naming the file and the connector’s reason', async () => {
    // Prepare
    transfer.on(ListFileTransferResultsCommand).resolves({
      FileTransferResults: [{ FilePath: file('SIMM.csv', 0).sourcePath, StatusCode: 'FAILED', FailureCode: 'REMOTE_PERMISSION_DENIED', FailureMessage: 'permission denied' }],
    });
    // Act
    const failure = await failureOf(deliverThroughConnector(target, [file('SIMM.csv', 120)], { deadline: 60_000, ...clock() }));
    // Assess
    expect(failure?.message).toBe(`connector ${CONNECTOR}, transfer t-1: SIMM.csv FAILED (REMOTE_PERMISSION_DENIED: permission denied)`);
    expect(transfer.commandCalls(StartDirectoryListingCommand)).toHaveLength(0);
  });

  it('fails a transfer not completed by the deadline', async () => {
    transfer.on(ListFileTransferResultsCommand).resolves({ FileTransferResults: [{ FilePath: file('SIMM.csv', 0).sourcePath, StatusCode: 'QUEUED' }] });
    const failure = await failureOf(deliverThroughConnector(target, [file('SIMM.csv', 120)], { deadline: 10_000, pollMs: 2_000, ...clock() }));
    expect(failure?.message).toBe(`connector ${CONNECTOR}, transfer t-1: SIMM.csv not COMPLETED when the time budget ran out`);
  });

  it('fails when the listing shows another size, or no file, naming each file and both sizes', async () => {
    // Prepare
    transfer.on(ListFileTransferResultsCommand).resolves({
      FileTransferResults: [file('A.csv', 0), file('B.csv', 0)].map((f) => ({ FilePath: f.sourcePath, StatusCode: 'COMPLETED' })),
    });
    s3.on(GetObjectCommand).resolves(body({ files: [{ filePath: 'A.csv', size: 99 }], truncated: false }));
    // Act
    const failure = await failureOf(deliverThroughConnector(target, [file('A.csv', 120), file('B.csv', 5)], { deadline: 60_000, ...clock() }));
    // Assess
    expect(failure?.message).toBe(
      `connector ${CONNECTOR}: the delivery does not reconcile (listing /exports-bucket/delivery-listings/simm/${CONNECTOR}-l-1.json): /inbound/A.csv: on the server 99 bytes; manifest 120 bytes; /inbound/B.csv is not in the partner's directory`,
    );
  });

  it('fails when the listing is not written by the deadline', async () => {
    transfer.on(ListFileTransferResultsCommand).resolves({ FileTransferResults: [{ FilePath: file('A.csv', 0).sourcePath, StatusCode: 'COMPLETED' }] });
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
    const failure = await failureOf(deliverThroughConnector(target, [file('A.csv', 1)], { deadline: 6_000, ...clock() }));
    expect(failure?.message).toBe(`connector ${CONNECTOR}: the directory listing s3://exports-bucket/delivery-listings/simm/${CONNECTOR}-l-1.json was not written when the time budget ran out`);
  });
});
