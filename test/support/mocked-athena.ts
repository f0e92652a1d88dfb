import { afterEach, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AthenaEngine } from '../../adapters/athena-engine.ts';

export const athena = mockClient(AthenaClient);
export const s3 = mockClient(S3Client);

export interface MockedAthenaEngine {
  engine: AthenaEngine;
  /** The engine's polling waits, in ms. */
  waits: number[];
  /** Every statement started, whitespace collapsed. */
  statements(): string[];
}

/**
 * An AthenaEngine over mocked Athena and S3, fresh for each test: every query succeeds with no rows and
 * the buckets list nothing, until a test says otherwise (its own `athena.on(…)` / `s3.on(…)` win).
 */
export function useMockedAthenaEngine(): MockedAthenaEngine {
  const mocked: MockedAthenaEngine = {
    engine: undefined as unknown as AthenaEngine,
    waits: [],
    statements: () => athena.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input.QueryString!.replace(/\s+/g, ' ').trim()),
  };
  beforeEach(() => {
    athena.reset();
    s3.reset();
    mocked.waits = [];
    mocked.engine = new AthenaEngine({
      workgroup: 'outbound',
      database: 'outbound',
      rawBucket: 'raw-bucket',
      lakeBucket: 'lake-bucket',
      sleep: (ms) => {
        mocked.waits.push(ms);
        return Promise.resolve();
      },
    });
    let next = 0;
    athena.on(StartQueryExecutionCommand).callsFake(async () => ({ QueryExecutionId: `q${++next}` }));
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DDL' } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  });
  afterEach(async () => {
    await mocked.engine.close();
  });
  return mocked;
}
