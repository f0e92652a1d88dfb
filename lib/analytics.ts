import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resources } from '../config/resources.ts';

/**
 * The Glue database that holds the lake tables and the Athena workgroup that runs the shared SQL.
 * Tables are registered by the pipeline itself (Athena DDL/CTAS from the consent transform), not here,
 * so the SQL files stay the one definition of every layer.
 */
export class Analytics extends Construct {
  readonly workgroup: CfnWorkGroup;
  readonly database: CfnDatabase;
  /** The lake bucket, where the workgroup writes query results. */
  readonly resultsBucket: IBucket;
  readonly workgroupArn: string;
  readonly catalogArn: string;
  readonly databaseArn: string;
  /** ARN pattern of every table of the database. */
  readonly tablesArn: string;

  constructor(scope: Construct, id: string, props: { lake: IBucket; key: IKey; bytesScannedCutoff: number }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.resultsBucket = props.lake;

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: resources.glueDatabase, description: 'outbound lake: phone consent layers and run tables' },
    });

    this.workgroup = new CfnWorkGroup(this, 'Workgroup', {
      name: resources.athenaWorkgroup,
      description: 'outbound daily run: shared SQL over the lake',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: props.lake.s3UrlForObject(resources.prefixes.athenaResults),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });

    this.workgroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: resources.athenaWorkgroup });
    this.catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });
    this.databaseArn = stack.formatArn({ service: 'glue', resource: 'database', resourceName: resources.glueDatabase });
    this.tablesArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${resources.glueDatabase}/*` });
  }
}
