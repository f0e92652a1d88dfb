import { afterEach, describe, expect, it } from 'vitest';
import { threadedHandler } from '../../../local/runtime/lambda-workers.ts';

const fixture = new URL('../../support/threaded-handler-fixture.ts', import.meta.url);

describe('threadedHandler (local Lambda invocations on worker threads)', () => {
  afterEach(() => {
    delete process.env.OUTBOUND_THREAD_TEST;
  });

  it('returns the handler result and passes the environment of the moment of the call', async () => {
    // Prepare
    const { handler } = threadedHandler(fixture, 'Fixture');
    process.env.OUTBOUND_THREAD_TEST = 'first';
    // Act
    const first = await handler({ value: 1 });
    process.env.OUTBOUND_THREAD_TEST = 'second';
    const second = await handler({ value: 2 });
    // Assess
    expect(first).toMatchObject({ value: 1, variable: 'first' });
    expect(second).toMatchObject({ value: 2, variable: 'second' });
  });

  it('rejects with the error name the handler threw, as Lambda reports it to Retry and Catch', async () => {
    const { handler } = threadedHandler(fixture, 'Fixture');
    await expect(handler({ fail: 'Lambda.TooManyRequestsException' })).rejects.toMatchObject({
      name: 'Lambda.TooManyRequestsException',
      message: 'failed as asked: Lambda.TooManyRequestsException',
    });
  });

  it('serves concurrent invocations on separate threads', async () => {
    const { handler } = threadedHandler(fixture, 'Fixture');
    const results = (await Promise.all([1, 2, 3].map((value) => handler({ value })))) as { value: number; threadId: number }[];
    expect(results.map((result) => result.value)).toEqual([1, 2, 3]);
    expect(new Set(results.map((result) => result.threadId)).size).toBe(3);
    expect(results.every((result) => result.threadId !== 0)).toBe(true);
  });
});
