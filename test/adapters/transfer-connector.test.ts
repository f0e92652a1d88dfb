import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListFileTransferResultsCommand, StartFileTransferCommand, TransferClient } from '@aws-sdk/client-transfer';
import { deliverThroughConnector, type ConnectorFile } from '../../adapters/transfer-connector.ts';

/** Delivery through a Transfer Family SFTP connector, against mocked Transfer and S3 clients. */
const transfer = mockClient(TransferClient);
const s3 = mockClient(S3Client);

const CONNECTOR = 'c-0123456789abcdef0';
const CHECKS = '/exports-bucket/delivery-checks/simm/2026-11-20-0123456789ab/';
const target = { connectorId: CONNECTOR, remoteDirectory: '/inbound', checkDirectory: CHECKS };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const file = (name: string, content: string): ConnectorFile => ({
  sourcePath: `/exports-bucket/exports/date=2026-11-20/COLLECTIONS/${name}`,
  bytes: Buffer.byteLength(content),
  sha256: sha256(content),
});
/** A GetObject answer with the text as its body. */
const body = (text: string) => ({ Body: { transformToByteArray: async () => Buffer.from(text) } }) as never;
const completed = (...paths: string[]) => ({ FileTransferResults: paths.map((path) => ({ FilePath: path, StatusCode: 'COMPLETED' as const })) });

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
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

beforeEach(() => {
  transfer.reset();
  s3.reset();
  transfer.on(StartFileTransferCommand, { SendFilePaths: undefined }).resolves({ TransferId: 't-back' });
  transfer.on(StartFileTransferCommand, { RetrieveFilePaths: undefined }).resolves({ TransferId: 't-send' });
});
afterAll(() => {
  transfer.restore();
  s3.restore();
});

describe('deliverThroughConnector', () => {
  it('sends the S3 objects to the remote directory, waits for COMPLETED, retrieves them back and checks size and sha256', async () => {
    // Prepare: the send is queued, then completed; the read-back completes at once
    const simm = file('SIMM.csv', 'PAYOFFUID,PHONE1\nP1,2125550142\n');
    transfer
      .on(ListFileTransferResultsCommand, { TransferId: 't-send' })
      .resolvesOnce({ FileTransferResults: [{ FilePath: simm.sourcePath, StatusCode: 'IN_PROGRESS' }] })
      .resolves(completed(simm.sourcePath));
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-back' }).resolves(completed('/inbound/SIMM.csv'));
    s3.on(GetObjectCommand).resolves(body('PAYOFFUID,PHONE1\nP1,2125550142\n'));
    // Act
    const delivered = await deliverThroughConnector(target, [simm], { deadline: 60_000, ...clock(), transfer: new TransferClient({}) });
    // Assess
    expect(delivered).toEqual([{ remotePath: '/inbound/SIMM.csv', bytes: simm.bytes, sha256: simm.sha256 }]);
    expect(transfer.commandCalls(StartFileTransferCommand).map((call) => call.args[0].input)).toEqual([
      { ConnectorId: CONNECTOR, SendFilePaths: ['/exports-bucket/exports/date=2026-11-20/COLLECTIONS/SIMM.csv'], RemoteDirectoryPath: '/inbound' },
      { ConnectorId: CONNECTOR, RetrieveFilePaths: ['/inbound/SIMM.csv'], LocalDirectoryPath: CHECKS },
    ]);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'exports-bucket',
      Key: 'delivery-checks/simm/2026-11-20-0123456789ab/SIMM.csv',
    });
  });

  it('starts one transfer per 10 files, for the send and for the read-back', async () => {
    // Prepare
    const files = Array.from({ length: 12 }, (_, index) => file(`F${index}.csv`, 'same'));
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-send' }).resolves(completed(...files.map((f) => f.sourcePath)));
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-back' }).resolves(completed(...files.map((_, index) => `/inbound/F${index}.csv`)));
    s3.on(GetObjectCommand).callsFake(() => body('same'));
    // Act
    await deliverThroughConnector(target, files, { deadline: 60_000, ...clock() });
    // Assess
    const sizes = transfer
      .commandCalls(StartFileTransferCommand)
      .map(({ args: [{ input }] }) => [input.SendFilePaths?.length ?? 0, input.RetrieveFilePaths?.length ?? 0]);
    expect(sizes).toEqual([
      [10, 0],
      [2, 0],
      [0, 10],
      [0, 2],
    ]);
  });

  it('fails a FAILED send, naming the file and the connector’s reason, and reads nothing back', async () => {
    // Prepare
    const simm = file('SIMM.csv', 'x');
    transfer.on(ListFileTransferResultsCommand).resolves({
      FileTransferResults: [{ FilePath: simm.sourcePath, StatusCode: 'FAILED', FailureCode: 'REMOTE_PERMISSION_DENIED', FailureMessage: 'permission denied' }],
    });
    // Act
    const failure = await failureOf(deliverThroughConnector(target, [simm], { deadline: 60_000, ...clock() }));
    // Assess
    expect(failure?.message).toBe(`connector ${CONNECTOR}, send transfer t-send: SIMM.csv FAILED (REMOTE_PERMISSION_DENIED: permission denied)`);
    expect(transfer.commandCalls(StartFileTransferCommand)).toHaveLength(1);
  });

  it('fails a send not completed by the deadline', async () => {
    const simm = file('SIMM.csv', 'x');
    transfer.on(ListFileTransferResultsCommand).resolves({ FileTransferResults: [{ FilePath: simm.sourcePath, StatusCode: 'QUEUED' }] });
    const failure = await failureOf(deliverThroughConnector(target, [simm], { deadline: 10_000, pollMs: 2_000, ...clock() }));
    expect(failure?.message).toBe(`connector ${CONNECTOR}, send transfer t-send: SIMM.csv not COMPLETED when the time budget ran out`);
  });

  it('fails when a file cannot be retrieved back from the partner’s directory', async () => {
    // Prepare: sent, but gone from the partner's directory
    const simm = file('SIMM.csv', 'x');
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-send' }).resolves(completed(simm.sourcePath));
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-back' }).resolves({
      FileTransferResults: [{ FilePath: '/inbound/SIMM.csv', StatusCode: 'FAILED', FailureCode: 'FILE_NOT_FOUND', FailureMessage: 'No such file' }],
    });
    // Act
    const failure = await failureOf(deliverThroughConnector(target, [simm], { deadline: 60_000, ...clock() }));
    // Assess
    expect(failure?.message).toBe(`connector ${CONNECTOR}, read-back transfer t-back: SIMM.csv FAILED (FILE_NOT_FOUND: No such file)`);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('fails when the copy read back is not the manifest’s file, naming each file with both sizes and sha256s', async () => {
    // Prepare: A arrived truncated, B arrived intact
    const a = file('A.csv', 'PAYOFFUID\nP1\nP2\n');
    const b = file('B.csv', 'PAYOFFUID\nP3\n');
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-send' }).resolves(completed(a.sourcePath, b.sourcePath));
    transfer.on(ListFileTransferResultsCommand, { TransferId: 't-back' }).resolves(completed('/inbound/A.csv', '/inbound/B.csv'));
    s3.on(GetObjectCommand, { Key: 'delivery-checks/simm/2026-11-20-0123456789ab/A.csv' }).callsFake(() => body('PAYOFFUID\nP1\n'));
    s3.on(GetObjectCommand, { Key: 'delivery-checks/simm/2026-11-20-0123456789ab/B.csv' }).callsFake(() => body('PAYOFFUID\nP3\n'));
    // Act
    const failure = await failureOf(deliverThroughConnector(target, [a, b], { deadline: 60_000, ...clock() }));
    // Assess
    expect(failure?.message).toBe(
      `connector ${CONNECTOR}: the delivery does not reconcile (read back into ${CHECKS}): /inbound/A.csv: read back 13 bytes, sha256 ${sha256('PAYOFFUID\nP1\n')}; manifest ${a.bytes} bytes, sha256 ${a.sha256}`,
    );
  });
});
