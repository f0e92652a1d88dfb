import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { handler, MalformedEventError } from '../../lambdas/ingest-events/handler.ts';
import { handler as canCall, clearLoadedDayCache } from '../../lambdas/can-call/handler.ts';
import { apiEvent } from '../../local/runtime/http-server.ts';
import { lambdaContext } from '../../local/runtime/lambda-context.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ACCOUNT = '1000000000000001';
const busEvent = (detail: unknown): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: 'evt-1',
  'detail-type': 'call',
  source: 'outbound.dialer',
  account: '000000000000',
  time: '2026-11-20T15:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});
const invoke = (detail: unknown) => handler(busEvent(detail), lambdaContext('ingest-events', 256, 30_000));
const call = { type: 'call_attempt', account: ACCOUNT, phone: '2125550142', at: '2026-11-20T10:00:00-05:00', list: 'collections/early', conversation: true };

beforeEach(() => {
  process.env.OUTBOUND_DIAL_GATE_TABLE = 'dial-gate-test';
  process.env.OUTBOUND_CONSENT_TABLE = 'consent-test';
  process.env.OUTBOUND_LAKE_BUCKET = 'lake-test';
  dynamo.reset();
  s3.reset();
  clearLoadedDayCache();
});

describe('ingest-events (the event bus Lambda)', () => {
  it('counts a call with one conditional UpdateItem keyed by the account and its Eastern day, the event id in the condition', async () => {
    dynamo.on(UpdateCommand).resolves({});

    expect(await invoke(call)).toEqual({ callsCounted: 1, callsAlreadyCounted: 0, optOuts: 0 });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'dial-gate-test',
      Key: { pk: `attempts#2026-11-20#${ACCOUNT}` },
      UpdateExpression: 'ADD attempts :one, conversations :conversation, event_ids :ids SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(event_ids) OR NOT contains(event_ids, :id)',
    });
    expect(input.ExpressionAttributeValues).toMatchObject({ ':one': 1, ':conversation': 1, ':ttl': Date.parse('2026-11-28T00:00:00Z') / 1000 });
    expect([...(input.ExpressionAttributeValues![':ids'] as Set<string>)]).toEqual([input.ExpressionAttributeValues![':id']]);
  });

  it('takes a failed condition for the same event delivered again: counted nothing, no error', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    expect(await invoke(call)).toEqual({ callsCounted: 0, callsAlreadyCounted: 1, optOuts: 0 });
  });

  it('marks an SMS opt-out at once in the consent table and archives it in the lake under its id', async () => {
    dynamo.on(UpdateCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});

    expect(await invoke({ type: 'sms_opt_out', account: ACCOUNT, phone: '(212) 555-0142', at: '2026-11-20T11:00:00-05:00' })).toMatchObject({ optOuts: 1 });
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'consent-test',
      Key: { account_number: '#OPTOUT', phone_number: '+12125550142' },
      UpdateExpression: 'SET opted_out_since = if_not_exists(opted_out_since, :day)',
    });
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Key).toMatch(/^events\/opt-outs\/date=2026-11-20\/[0-9a-f]{64}\.jsonl\.gz$/);
  });

  it('fails a malformed event (to its retries and the dead-letter queue) with the problems, not the values, and writes nothing', async () => {
    const failure = invoke({ ...call, phone: '555-0142', account: 'x' });

    await expect(failure).rejects.toBeInstanceOf(MalformedEventError);
    await expect(failure).rejects.toThrow(/account: expected 16 digits; phone: not a valid US phone number/);
    await expect(failure).rejects.not.toThrow(/555-0142/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('can-call handler', () => {
  it('answers 503 without request data when the dial gate does not answer', async () => {
    dynamo.on(GetCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const result = await canCall(apiEvent({ method: 'GET', url: `/v1/can-call?account=${ACCOUNT}&phone=2125550142` }), lambdaContext('can-call', 512, 10_000));

    expect(result.statusCode).toBe(503);
    expect(result.body).not.toContain(ACCOUNT);
  });
});
