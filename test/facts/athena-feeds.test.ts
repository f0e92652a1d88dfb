import { beforeEach, describe, expect, it } from 'vitest';
import { StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { resources } from '../../config/resources.ts';
import { athena, s3, useMockedAthenaEngine } from '../support/mocked-athena.ts';

const mocked = useMockedAthenaEngine();
const { statements } = mocked;

/** Objects of the mocked buckets, by bucket. */
let objects: Record<string, string[]>;

beforeEach(() => {
  objects = {};
  s3.on(ListObjectsV2Command).callsFake(async (input: { Bucket: string; Prefix: string }) => ({
    Contents: (objects[input.Bucket] ?? []).filter((key) => key.startsWith(input.Prefix)).map((Key) => ({ Key })),
  }));
  s3.on(DeleteObjectsCommand).callsFake((input: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => {
    const gone = new Set(input.Delete.Objects.map((object) => object.Key));
    objects[input.Bucket] = (objects[input.Bucket] ?? []).filter((key) => !gone.has(key));
    return Promise.resolve({});
  });
});

describe('AthenaEngine: daily feeds and partitioned unloads', () => {
  it('registers the feed tables over the raw bucket and views of the load date: 90 days of dispositions, the newest snapshot ≤ D', async () => {
    // Prepare
    objects['raw-bucket'] = [
      'loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz',
      'contacts/asof=2026-11-20/contacts_20261120_001.csv.gz',
      'contacts/asof=2026-11-20/contacts_20261120_002.csv.gz',
      'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
      'dispositions/date=2026-08-22/dispositions_20261122.csv.gz',
      'dispositions/date=2026-08-23/dispositions_20260823.csv.gz',
      'dispositions/date=2026-11-20/dispositions_20261120.csv.gz',
      'dispositions/date=2026-11-21/dispositions_20261121.csv.gz',
      'suppressions/suppressions_20261118.csv.gz',
      'suppressions/suppressions_20261119.csv.gz',
      'suppressions/suppressions_20261121.csv.gz',
      'contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz',
      'contact_rules/asof=2026-11-19/contact_rules_20261119.csv.gz',
      'payment_requests/date=2026-08-22/payment_requests_20260822.csv.gz',
      'payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz',
      'reference/zip_suppressions.csv.gz',
      'reference/zip_suppressions_old.csv.gz',
    ];
    // Act
    const files = await mocked.engine.registerFeeds('2026-11-20');
    // Assess
    expect(files).toEqual({
      loan_tape: ['loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz'],
      contacts: ['contacts/asof=2026-11-20/contacts_20261120_001.csv.gz', 'contacts/asof=2026-11-20/contacts_20261120_002.csv.gz'],
      dispositions: ['dispositions/date=2026-08-23/dispositions_20260823.csv.gz', 'dispositions/date=2026-11-20/dispositions_20261120.csv.gz'],
      suppressions: ['suppressions/suppressions_20261119.csv.gz'],
      custom_fields: ['custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz'],
      contact_rules: ['contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz'],
      payment_requests: ['payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz'],
      zip_suppressions: ['reference/zip_suppressions.csv.gz'],
    });
    const sql = statements();
    expect(sql).toHaveLength(16);
    expect(sql).toContainEqual(expect.stringMatching(/^CREATE OR REPLACE VIEW contact_rules_raw AS .* FROM contact_rules_files WHERE asof = '2026-11-20'$/));
    expect(sql).toContainEqual(
      expect.stringMatching(
        /^CREATE OR REPLACE VIEW payment_requests_raw AS .* FROM payment_requests_files WHERE "date" BETWEEN '2026-08-23' AND '2026-11-20'$/,
      ),
    );
    expect(sql).toContainEqual(
      expect.stringMatching(/^CREATE OR REPLACE VIEW zip_suppressions_raw AS .* WHERE "\$path" = 's3:\/\/raw-bucket\/reference\/zip_suppressions.csv.gz'$/),
    );
    expect(sql).toContainEqual(
      expect.stringMatching(/CREATE EXTERNAL TABLE IF NOT EXISTS zip_suppressions_files .* LOCATION 's3:\/\/raw-bucket\/reference\/'/),
    );
    expect(sql[0]).toMatch(
      /CREATE EXTERNAL TABLE IF NOT EXISTS loan_tape_files \(.*\) PARTITIONED BY \(asof string\).*LOCATION 's3:\/\/raw-bucket\/loan_tape\/'.*'projection\.enabled' = 'true'/,
    );
    expect(sql[1]).toMatch(/^CREATE OR REPLACE VIEW loan_tape_raw AS .* FROM loan_tape_files WHERE asof = '2026-11-20'$/);
    expect(sql).toContain(
      'CREATE OR REPLACE VIEW dispositions_raw AS SELECT payoffuid, account_number, channel, contact_value, attempted_at, disposition, ' +
        `is_conversation, purpose, "date" AS attempt_date, regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, ` +
        `CAST(NULL AS BIGINT) AS source_line, CASE WHEN purpose IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem ` +
        `FROM dispositions_files WHERE "date" BETWEEN '2026-08-23' AND '2026-11-20'`,
    );
    expect(sql).toContain(
      'CREATE OR REPLACE VIEW suppressions_raw AS SELECT scope, set_name, list_name, key_type, key, reason, start_date, end_date, ' +
        `regexp_replace("$path", '^s3://[^/]+/', '') AS source_file, CAST(NULL AS BIGINT) AS source_line, ` +
        `CASE WHEN end_date IS NULL THEN 'TOO_FEW_FIELDS' WHEN extra_fields IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem FROM suppressions_files WHERE "$path" = 's3://raw-bucket/suppressions/suppressions_20261119.csv.gz'`,
    );
    expect(sql.find((statement) => statement.includes('CREATE EXTERNAL TABLE IF NOT EXISTS custom_fields_files'))).toMatch(/FIELDS TERMINATED BY '\\001'/);
  });

  it('unloads into an emptied prefix partitioned by the column, and returns the keys of each partition', async () => {
    // Prepare
    const prefix = 'runs/load_date=2026-11-20/attempt=a1/facts/contacts/';
    objects['lake-bucket'] = [`${prefix}shard=0003/stale.gz`, 'runs/other/keep.gz'];
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
      if (input.QueryString.startsWith('UNLOAD')) {
        objects['lake-bucket']!.push(`${prefix}shard=0000/20261120_a.gz`, `${prefix}shard=0000/20261120_b.gz`, `${prefix}shard=0001/20261120_c.gz`);
      }
      return Promise.resolve({ QueryExecutionId: 'q1' });
    });
    // Act
    const partitions = await mocked.engine.unloadJsonLinesPartitioned('SELECT payoffuid, shard FROM facts_contacts', `s3://lake-bucket/${prefix}`, 'shard');
    // Assess
    expect(statements()).toEqual([
      `UNLOAD (SELECT payoffuid, shard FROM facts_contacts) TO 's3://lake-bucket/${prefix}' WITH (format = 'JSON', compression = 'GZIP', partitioned_by = ARRAY['shard'])`,
    ]);
    expect(partitions).toEqual(
      new Map([
        ['0000', [`${prefix}shard=0000/20261120_a.gz`, `${prefix}shard=0000/20261120_b.gz`]],
        ['0001', [`${prefix}shard=0001/20261120_c.gz`]],
      ]),
    );
    expect(objects['lake-bucket']).not.toContain(`${prefix}shard=0003/stale.gz`);
    expect(objects['lake-bucket']).toContain('runs/other/keep.gz');
    // Athena cannot tag what it writes: the attempt's objects get the retention tag right after (lib/storage.ts).
    const tagged = s3.commandCalls(PutObjectTaggingCommand).map((call) => [call.args[0].input.Key, call.args[0].input.Tagging?.TagSet]);
    expect(tagged.sort()).toEqual(
      [...partitions.values()]
        .flat()
        .sort()
        .map((key) => [key, [{ Key: resources.retentionTag.key, Value: resources.retentionTag.attempt }]]),
    );
  });

  it('refuses a load date that is not a calendar date', async () => {
    await expect(mocked.engine.registerFeeds('2026-11-31')).rejects.toThrow(/not a YYYY-MM-DD load date/);
  });
});
