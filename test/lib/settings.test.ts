import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextKeys, readSettings } from '../../lib/settings.ts';
import { cdkJsonContext, synthesize, type Synthesized } from './synth.ts';

const settingsFrom = (context: Record<string, unknown>) => readSettings(new App({ context: { ...cdkJsonContext, ...context } }).node);

describe('settings from context', () => {
  it('reads the cdk.json defaults: IAM authorization, 500/1000 throttling, one-year logs, 100 GB scan cutoff, schedule on, no subscribers', () => {
    expect(settingsFrom({})).toEqual({
      apiRateLimit: 500,
      apiBurstLimit: 1000,
      jwt: undefined,
      logRetention: 365,
      athenaBytesScannedCutoff: 100 * 1024 ** 3,
      scheduleEnabled: true,
      alertEmail: undefined,
      alertWebhookUrl: undefined,
      api5xxRatePercent: 1,
      apiLatencyP99Ms: 100,
      listVolumeDeviationPercent: 30,
      loanTapeMaxAgeDays: 1,
      maxSnapshotAgeDays: 1,
      genesys: undefined,
      partners: {},
    });
  });

  it('reads the schedule switch from JSON booleans and from -c strings, and refuses anything else', () => {
    expect(settingsFrom({ [contextKeys.scheduleEnabled]: 'false' }).scheduleEnabled).toBe(false);
    expect(settingsFrom({ [contextKeys.scheduleEnabled]: false }).scheduleEnabled).toBe(false);
    expect(settingsFrom({ [contextKeys.scheduleEnabled]: 'true' }).scheduleEnabled).toBe(true);
    expect(() => settingsFrom({ [contextKeys.scheduleEnabled]: 'off' })).toThrow(/outbound:scheduleEnabled must be true or false/);
  });

  it('refuses an alert email or webhook that is not one, naming the key', () => {
    expect(() => settingsFrom({ [contextKeys.alertEmail]: 'oncall.example.com' })).toThrow(/outbound:alertEmail must be an email address/);
    expect(() => settingsFrom({ [contextKeys.alertWebhookUrl]: 'http://pager.example.com/hook' })).toThrow(
      /outbound:alertWebhookUrl must be an https:\/\/ URL/,
    );
    expect(settingsFrom({ [contextKeys.alertEmail]: 'oncall@example.com' }).alertEmail).toBe('oncall@example.com');
  });

  it('refuses percentages outside (0, 100] and a fractional or negative loan tape age', () => {
    expect(() => settingsFrom({ [contextKeys.listVolumeDeviationPercent]: 0 })).toThrow(/listVolumeDeviationPercent must be a percentage/);
    expect(() => settingsFrom({ [contextKeys.api5xxRatePercent]: '150' })).toThrow(/api5xxRatePercent must be a percentage/);
    expect(() => settingsFrom({ [contextKeys.loanTapeMaxAgeDays]: 1.5 })).toThrow(/loanTapeMaxAgeDays must be a whole number/);
    expect(() => settingsFrom({ [contextKeys.loanTapeMaxAgeDays]: -1 })).toThrow(/loanTapeMaxAgeDays must be a whole number/);
    expect(settingsFrom({ [contextKeys.loanTapeMaxAgeDays]: '0' }).loanTapeMaxAgeDays).toBe(0);
  });

  it('accepts -c overrides, which arrive as strings', () => {
    expect(settingsFrom({ [contextKeys.apiRateLimit]: '50', [contextKeys.logRetentionDays]: '90' })).toMatchObject({ apiRateLimit: 50, logRetention: 90 });
  });

  it('refuses a retention CloudWatch Logs does not offer, naming the key', () => {
    expect(() => settingsFrom({ [contextKeys.logRetentionDays]: 100 })).toThrow(/outbound:logRetentionDays=100/);
  });

  it('refuses a missing or non-positive limit, naming the key', () => {
    expect(() => settingsFrom({ [contextKeys.apiBurstLimit]: 0 })).toThrow(/outbound:apiBurstLimit must be a positive number/);
    expect(() => readSettings(new App().node)).toThrow(/must be a positive number \(set in cdk.json/);
  });

  it('refuses a JWT issuer without an audience', () => {
    expect(() => settingsFrom({ [contextKeys.jwtIssuer]: 'https://idp.example.com' })).toThrow(/must be set together/);
  });
});

describe('HTTP API with a JWT authorizer from context', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      full: false,
      context: { [contextKeys.jwtIssuer]: 'https://idp.example.com/', [contextKeys.jwtAudience]: 'outbound-api, agents' },
    });
  });
  afterAll(() => synth?.dispose());

  it('authorizes every route with the JWT authorizer of that issuer and audience', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectEquals({ Issuer: 'https://idp.example.com/', Audience: ['outbound-api', 'agents'] }),
    });
    const [authorizerId] = Object.keys(synth.template.findResources('AWS::ApiGatewayV2::Authorizer'));
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
    synth.template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('offers no IAM invoke policy', () => {
    const invokePolicies = Object.values(synth.template.findResources('AWS::IAM::ManagedPolicy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('execute-api:Invoke'),
    );
    expect(invokePolicies).toEqual([]);
  });
});
