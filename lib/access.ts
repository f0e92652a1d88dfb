import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
// cdk-nag's own rendering of a resource in its IAM5 finding ids, so acknowledgements match findings exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Analytics } from './analytics.ts';

// Least-privilege grants with exact action names. The CDK `grantRead`/`grantReadWrite` helpers use
// wildcard actions (`s3:GetObject*`, `s3:List*`, `kms:GenerateDataKey*` …); these do not.

export interface ObjectAccess {
  /** ListObjectsV2 under the prefix. */
  list?: boolean;
  /** GetObject/HeadObject under the prefix. */
  read?: boolean;
  /** PutObject (single and multipart) under the prefix. */
  write?: boolean;
  /** DeleteObject under the prefix (replacing a partition). */
  delete?: boolean;
  /** PutObjectTagging under the prefix (a PutObject with tags needs it too): the lake's retention tag. */
  tag?: boolean;
}

export function grantObjects(role: IRole, bucket: IBucket, key: IKey, prefix: string, access: ObjectAccess): void {
  const objects = `${bucket.bucketArn}/${prefix}*`;
  if (access.list) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}),
      }),
    );
  }
  const objectActions = [
    ...(access.read ? ['s3:GetObject'] : []),
    ...(access.write ? ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] : []),
    ...(access.delete ? ['s3:DeleteObject'] : []),
    ...(access.tag ? ['s3:PutObjectTagging'] : []),
  ];
  if (objectActions.length > 0) {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: objectActions, resources: [objects] }));
    acknowledgeWildcardResource(
      role,
      objects,
      `Object-level S3 actions need a key pattern; scoped to ${prefix ? `the ${prefix} prefix` : 'the whole bucket'} of one bucket.`,
    );
  }
  // SSE-KMS: reading decrypts; writing asks for a data key (and decrypts it again to finish a multipart upload).
  if (access.read || access.write) key.grant(role, 'kms:Decrypt');
  if (access.write) key.grant(role, 'kms:GenerateDataKey');
}

/**
 * Runs queries in the workgroup and manages the database's tables and partitions (CTAS, DROP, partition replacement).
 * Object access to the queried data is granted separately with grantObjects.
 */
export function grantAthenaQueries(role: IRole, analytics: Analytics, queriedBuckets: IBucket[]): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
      resources: [analytics.workgroupArn],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:DeleteTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
        'glue:DeletePartition',
        'glue:BatchDeletePartition',
      ],
      resources: [analytics.catalogArn, analytics.databaseArn, analytics.tablesArn],
    }),
  );
  acknowledgeWildcardResource(role, analytics.tablesArn, 'The pipeline creates and replaces its own tables (CTAS, partitions) in the outbound database only.');
  // Athena checks the location of every bucket it reads from or writes to, and manages uploads of its results.
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: queriedBuckets.map((bucket) => bucket.bucketArn) }));
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucketMultipartUploads'], resources: [analytics.resultsBucket.bucketArn] }));
}

/** Records, on the construct holding the policy, why a resource pattern with `*` is as narrow as it can be. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const rendered = flattenCfnReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}
