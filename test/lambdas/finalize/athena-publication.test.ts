import { describe, expect, it } from 'vitest';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3, useMockedAthenaEngine } from '../../support/mocked-athena.ts';
import { attemptPartition } from '../../../adapters/sql-engine.ts';

/** The Athena side of Finalize's engine methods, against mocked Athena and S3: the statements and objects it produces. */

const mocked = useMockedAthenaEngine();
const { statements } = mocked;

describe('AthenaEngine for Finalize', () => {
  it('registers JSON Lines objects as an external JSON table over the prefix', async () => {
    // Act
    await mocked.engine.registerJsonLines('decision_lists', 's3://lake-bucket/runs/load_date=2026-11-20/attempt=a1/decisions/lists/', {
      payoffuid: 'string',
      suppression_flag: 'boolean',
      shaping_order: 'bigint',
    });
    // Assess
    expect(statements()).toEqual([
      'DROP TABLE IF EXISTS decision_lists',
      "CREATE EXTERNAL TABLE decision_lists (`payoffuid` string, `suppression_flag` boolean, `shaping_order` bigint) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' " +
        "LOCATION 's3://lake-bucket/runs/load_date=2026-11-20/attempt=a1/decisions/lists/'",
    ]);
  });

  it('writes a (load_date, attempt) partition by CTAS and registers it', async () => {
    // Act
    await mocked.engine.writePartitionAt('rpt_outbound_lists_attempts', attemptPartition('2026-11-20', 'a1'), 'SELECT 1 AS x');
    // Assess
    const sent = statements();
    expect(sent[0]).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS rpt_outbound_lists_attempts .* PARTITIONED BY \(load_date date, attempt string\)/);
    const location = /external_location = '(s3:\/\/lake-bucket\/rpt_outbound_lists_attempts\/load_date=2026-11-20\/attempt=a1\/[0-9a-f]{12}\/)'/.exec(
      sent[2]!,
    )?.[1];
    expect(location).toBeDefined();
    expect(sent).toContain(
      `ALTER TABLE rpt_outbound_lists_attempts ADD IF NOT EXISTS PARTITION (load_date = '2026-11-20', attempt = 'a1') LOCATION '${location}'`,
    );
  });

  it('publishes with one PUT of the publication object, then drops the date’s other attempts', async () => {
    // Prepare
    const table = 'rpt_outbound_lists_attempts';
    s3.on(ListObjectsV2Command, { Bucket: 'lake-bucket', Prefix: `${table}/load_date=2026-11-20/` }).resolves({
      Contents: [
        { Key: `${table}/load_date=2026-11-20/attempt=old/abc/part-0.parquet` },
        { Key: `${table}/load_date=2026-11-20/attempt=new/def/part-0.parquet` },
      ],
    });
    // Act
    await mocked.engine.publish({ loadDate: '2026-11-20', attempt: 'new', runId: '2026-11-20-0123456789ab' }, [table]);
    // Assess
    const [put] = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(put).toMatchObject({ Bucket: 'lake-bucket', Key: 'published/load_date=2026-11-20.json' });
    expect(JSON.parse(put!.Body as string)).toMatchObject({ load_date: '2026-11-20', attempt: 'new', run_id: '2026-11-20-0123456789ab' });
    const sent = statements();
    expect(sent[0]).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS publications .*LOCATION 's3:\/\/lake-bucket\/published\/'$/);
    expect(sent).toContain(`ALTER TABLE ${table} DROP IF EXISTS PARTITION (load_date = '2026-11-20', attempt = 'old')`);
    expect(sent.some((statement) => statement.includes("attempt = 'new'"))).toBe(false);
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete!.Objects!.map((object) => object.Key))).toEqual([
      [`${table}/load_date=2026-11-20/attempt=old/abc/part-0.parquet`],
    ]);
  });

  it('defines a persistent view', async () => {
    // Act
    await mocked.engine.defineView('rpt_outbound_lists', 'SELECT 1 AS x');
    // Assess
    expect(statements()).toEqual(['CREATE OR REPLACE VIEW rpt_outbound_lists AS SELECT 1 AS x']);
  });
});
