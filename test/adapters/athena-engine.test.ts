import { describe, expect, it } from 'vitest';
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type QueryExecutionState } from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { athena, s3, useMockedAthenaEngine } from '../support/mocked-athena.ts';

const mocked = useMockedAthenaEngine();
const { statements } = mocked;

function states(...sequence: QueryExecutionState[]): void {
  const execution = athena.on(GetQueryExecutionCommand);
  for (const state of sequence) execution.resolvesOnce({ QueryExecution: { Status: { State: state }, StatementType: 'DML' } });
  execution.resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } });
}

describe('AthenaEngine', () => {
  it('runs a query in the workgroup and database, polls with backoff and reads every result page', async () => {
    // Prepare
    states('QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED', 'SUCCEEDED');
    const columns = [
      { Name: 'account_number', Type: 'varchar' },
      { Name: 'rows', Type: 'bigint' },
      { Name: 'has_sms_consent', Type: 'boolean' },
      { Name: 'as_of_date', Type: 'date' },
    ];
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: undefined })
      .resolves({
        NextToken: 'page-2',
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [
            { Data: [{ VarCharValue: 'account_number' }, { VarCharValue: 'rows' }, { VarCharValue: 'has_sms_consent' }, { VarCharValue: 'as_of_date' }] },
            { Data: [{ VarCharValue: '1000000000000001' }, { VarCharValue: '3' }, { VarCharValue: 'true' }, { VarCharValue: '2026-11-20' }] },
          ],
        },
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: 'page-2' })
      .resolves({
        ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [{ Data: [{ VarCharValue: '2000000000000002' }, { VarCharValue: '0' }, {}, {}] }] },
      });
    // Act
    const rows = await mocked.engine.query('SELECT 1');
    // Assess
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT 1',
      WorkGroup: 'outbound',
      QueryExecutionContext: { Database: 'outbound' },
    });
    expect(mocked.waits).toEqual([250, 500, 1000]);
    expect(rows).toEqual([
      { account_number: '1000000000000001', rows: 3, has_sms_consent: true, as_of_date: '2026-11-20' },
      { account_number: '2000000000000002', rows: 0, has_sms_consent: null, as_of_date: null },
    ]);
  });

  it('caps the polling interval at 5 seconds', async () => {
    // Prepare
    states(...(Array(8).fill('RUNNING') as QueryExecutionState[]), 'SUCCEEDED');
    // Act
    await mocked.engine.createTransient('consent_silver', 'SELECT 1');
    // Assess
    expect(mocked.waits).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('fails with the state change reason and the statement', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: "FUNCTION_NOT_FOUND: line 1:8: Function 'strptime' not registered" } },
    });
    // Act
    const run = mocked.engine.query("SELECT strptime('20261120', '%Y%m%d')");
    // Assess
    await expect(run).rejects.toThrow(
      "Athena query q1 FAILED: FUNCTION_NOT_FOUND: line 1:8: Function 'strptime' not registered (statement: SELECT strptime('20261120', '%Y%m%d'))",
    );
  });

  it("registers exactly the run's exports: a symlink manifest per feed, a quoted-CSV table over it, a view without the PII", async () => {
    // Prepare
    const key = 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120060000000-NON-FIN-BDL_EXPORT_001.csv.gz';
    // Act
    await mocked.engine.registerRawSources([{ key, feed: 'NON-FIN-BDL', fileDate: '2026-11-20', sequence: 1 }]);
    // Assess
    const manifests = s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key, call.args[0].input.Body]);
    expect(manifests).toEqual([
      [expect.stringMatching(/^_transient\/[0-9a-f]{12}\/consent_raw_enrollment_manifest\/manifest$/), ''],
      [expect.stringMatching(/^_transient\/[0-9a-f]{12}\/consent_raw_nonfin_manifest\/manifest$/), `s3://raw-bucket/${key}\n`],
      [expect.stringMatching(/^_transient\/[0-9a-f]{12}\/consent_raw_supplfwd_manifest\/manifest$/), ''],
    ]);
    const sent = statements();
    expect(sent).toHaveLength(9);
    for (const part of [
      'CREATE EXTERNAL TABLE consent_raw_nonfin_files (',
      'org.apache.hadoop.hive.serde2.OpenCSVSerde',
      "'quoteChar' = '\"'",
      'SymlinkTextInputFormat',
    ]) {
      expect(sent[4]).toContain(part);
    }
    expect(sent[4]).toMatch(/LOCATION 's3:\/\/lake-bucket\/_transient\/[0-9a-f]{12}\/consent_raw_nonfin_manifest\/'/);
    expect(sent.filter((sql) => sql.includes('CREATE OR REPLACE VIEW')).map((sql) => /CREATE OR REPLACE VIEW (\w+)/.exec(sql)![1])).toEqual([
      'consent_raw_enrollment',
      'consent_raw_nonfin',
      'consent_raw_supplfwd',
    ]);
    const views = sent.filter((sql) => sql.includes('CREATE OR REPLACE VIEW')).join(' ');
    expect(views).not.toMatch(/ssn|_nm_|first_name|last_name/);
  });

  it('writes a partition by CTAS to a fresh location, switches the partition to it and removes the old files', async () => {
    // Prepare
    athena.on(GetQueryResultsCommand).resolves({ UpdateCount: 42, ResultSet: { Rows: [] } });
    const written = () => /external_location = 's3:\/\/lake-bucket\/([^']+)'/.exec(statements().join(' '))![1]!;
    s3.on(ListObjectsV2Command).callsFake(async (input: { Prefix: string }) => ({
      Contents: [{ Key: 'phone_consent/as_of_date=2026-11-20/old/part-0.parquet' }, { Key: `${written()}part-1.parquet` }].filter((object) =>
        object.Key.startsWith(input.Prefix),
      ),
    }));
    // Act
    const rows = await mocked.engine.writePartition('phone_consent', 'as_of_date', '2026-11-20', 'SELECT * FROM consent_silver');
    // Assess
    const sent = statements();
    const location = /external_location = '(s3:\/\/lake-bucket\/phone_consent\/as_of_date=2026-11-20\/[0-9a-f]{12}\/)'/.exec(sent[2]!)![1]!;
    expect(rows).toBe(42);
    expect(sent[0]).toMatch(
      /^CREATE EXTERNAL TABLE IF NOT EXISTS phone_consent \(.*\) PARTITIONED BY \(as_of_date date\) STORED AS PARQUET LOCATION 's3:\/\/lake-bucket\/phone_consent\/'$/,
    );
    expect(sent[1]).toMatch(/^DROP TABLE IF EXISTS phone_consent_staging_[0-9a-f]{12}$/);
    expect(sent[2]).toMatch(
      /^CREATE TABLE phone_consent_staging_[0-9a-f]{12} WITH \(format = 'PARQUET', write_compression = 'ZSTD', external_location = '.*'\) AS SELECT \* FROM consent_silver$/,
    );
    expect(sent.slice(3)).toEqual([
      expect.stringMatching(/^DROP TABLE phone_consent_staging_[0-9a-f]{12}$/),
      `ALTER TABLE phone_consent ADD IF NOT EXISTS PARTITION (as_of_date = '2026-11-20') LOCATION '${location}'`,
      `ALTER TABLE phone_consent PARTITION (as_of_date = '2026-11-20') SET LOCATION '${location}'`,
    ]);
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete!.Objects)).toEqual([
      [{ Key: 'phone_consent/as_of_date=2026-11-20/old/part-0.parquet' }],
    ]);
  });

  it('lists partition values from SHOW PARTITIONS', async () => {
    // Prepare
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { Rows: [{ Data: [{ VarCharValue: 'as_of_date=2026-11-21' }] }, { Data: [{ VarCharValue: 'as_of_date=2026-11-20' }] }] },
    });
    // Act
    const values = await mocked.engine.partitionValues('phone_consent', 'as_of_date');
    // Assess
    expect(values).toEqual(['2026-11-20', '2026-11-21']);
    expect(statements()[1]).toBe('SHOW PARTITIONS phone_consent');
  });

  it('unloads JSON Lines to an emptied prefix and returns the keys written', async () => {
    // Prepare
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'consent/changes/as_of_date=2026-11-20/stale.gz' }] })
      .resolves({ Contents: [{ Key: 'consent/changes/as_of_date=2026-11-20/20261120_a.gz' }] });
    // Act
    const keys = await mocked.engine.unloadJsonLines('SELECT 1 AS x', 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/');
    // Assess
    expect(s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Objects).toEqual([{ Key: 'consent/changes/as_of_date=2026-11-20/stale.gz' }]);
    expect(statements()).toEqual([
      "UNLOAD (SELECT 1 AS x) TO 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/' WITH (format = 'JSON', compression = 'GZIP')",
    ]);
    expect(keys).toEqual(['consent/changes/as_of_date=2026-11-20/20261120_a.gz']);
  });

  it('unloads Parquet (Snappy) the same way and registers Parquet objects as an external table with Hive types', async () => {
    // Prepare
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'consent/changes/as_of_date=2026-11-20/20261120_a.parquet' }] });
    // Act
    const keys = await mocked.engine.unloadParquet('SELECT 1 AS x', 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/');
    await mocked.engine.registerParquet('consent_pending_changes', 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/', {
      phone_number: 'string',
      quality_score: 'integer',
      is_deleted: 'boolean',
    });
    // Assess
    expect(keys).toEqual(['consent/changes/as_of_date=2026-11-20/20261120_a.parquet']);
    expect(statements()).toEqual([
      "UNLOAD (SELECT 1 AS x) TO 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
      'DROP TABLE IF EXISTS consent_pending_changes',
      'CREATE EXTERNAL TABLE consent_pending_changes (`phone_number` string, `quality_score` int, `is_deleted` boolean) ' +
        "STORED AS PARQUET LOCATION 's3://lake-bucket/consent/changes/as_of_date=2026-11-20/'",
    ]);
  });
});
