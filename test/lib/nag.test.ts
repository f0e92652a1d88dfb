import { Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, type Synthesized } from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ full: false });
});
afterAll(() => synth?.dispose());

/** Every acknowledgement recorded with Validations.of(…).acknowledge in the tree: rule id → reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    // Assess
    expect(report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('has a written reason for every acknowledgement, and acknowledges only what the docs list', () => {
    const found = acknowledgements(synth.stack);
    expect(found.length).toBeGreaterThan(0);
    for (const { reason } of found) expect(reason.length).toBeGreaterThan(30);
    expect([...new Set(found.map(({ id }) => id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
  });

  it('would report a bucket without encryption in transit, logging or TLS policy', () => {
    // Prepare: the same checks over a deliberately careless stack
    const careless = new Stack();
    new Bucket(careless, 'Careless');
    // Act
    const report = new AwsSolutionsChecks().validateScope(careless);
    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
