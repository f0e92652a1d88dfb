import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { projectRoot } from '../../lib/functions.ts';
import { OutboundStack } from '../../lib/outbound-stack.ts';
import { readSettings } from '../../lib/settings.ts';

/** The context of `cdk.json` (settings defaults and feature flags), as `npx cdk synth` sees it. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context;

export interface Synthesized {
  stack: OutboundStack;
  template: Template;
  /** Cloud assembly directory (bundled assets are under `asset.<hash>/`). */
  outdir: string;
  dispose(): void;
}

/**
 * Builds the stack the way bin/app.ts does, into a temporary cloud assembly. `full: true` is what
 * `npx cdk synth` does: esbuild bundling and CDK's built-in CloudFormation validation (a few seconds).
 * `full: false` skips both (CDK's `aws:cdk:bundling-stacks` context), for tests that only read the template.
 */
export function synthesize(options: { full: boolean; context?: Record<string, unknown> }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'outbound-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.full,
    context: { ...cdkJsonContext, ...options.context, ...(options.full ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new OutboundStack(app, 'Outbound', { settings: readSettings(app.node) });
  const template = Template.fromStack(stack);
  return { stack, template, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
