import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients shared by the handlers, created once per endpoint. Endpoints come from the standard
 * `AWS_ENDPOINT_URL_*` variables, which the local runtime points at s3rver and dynalite (a process
 * that restarts the runtime gets new ports, hence new clients); s3rver needs path-style URLs.
 */
let s3: { endpoint: string | undefined; client: S3Client } | undefined;
let documentClient: { endpoint: string | undefined; client: DynamoDBDocumentClient } | undefined;

export function s3Client(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  if (s3?.endpoint !== endpoint || !s3) s3 = { endpoint, client: new S3Client({ forcePathStyle: Boolean(endpoint) }) };
  return s3.client;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (documentClient?.endpoint !== endpoint || !documentClient) {
    documentClient = {
      endpoint,
      client: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    };
  }
  return documentClient.client;
}

/** Parses `s3://bucket/key` into its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}
