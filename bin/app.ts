// CDK application entry (`npx cdk synth`): environment-agnostic, no lookups, bundles locally with esbuild.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OutboundStack } from '../lib/outbound-stack.ts';
import { readSettings } from '../lib/settings.ts';

const app = new App();
// cdk-nag (AwsSolutions) runs during synthesis: any unacknowledged finding stops `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new OutboundStack(app, 'Outbound', {
  description: 'outbound: the daily outbound lists, their exports and deliveries, and the can_send_sms and can-call API',
  settings: readSettings(app.node),
});
