// CDK application entry (`npx cdk synth`): environment-agnostic, no lookups, bundles locally with esbuild.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OutboundStack } from '../lib/outbound-stack.ts';
import { readSettings } from '../lib/settings.ts';

const app = new App();
// cdk-nag (AwsSolutions) runs during synthesis: any unacknowledged finding stops `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new OutboundStack(app, 'Outbound', {
  description: 'outbound: daily outbound lists and the can_send_sms API (phone consent slice)',
  settings: readSettings(app.node),
});
