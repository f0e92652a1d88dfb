import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextKeys, readSettings } from '../../lib/settings.ts';
import { cdkJsonContext, synthesize, type Synthesized } from './synth.ts';

const settingsFrom = (context: Record<string, unknown>) => readSettings(new App({ context: { ...cdkJsonContext, ...context } }).node);

describe('settings from context', () => {
  it('reads the cdk.json defaults: IAM authorization, 500/1000 throttling, one-year logs, 100 GB scan cutoff', () => {
    expect(settingsFrom({})).toEqual({
      apiRateLimit: 500,
      apiBurstLimit: 1000,
      jwt: undefined,
      logRetention: 365,
      athenaBytesScannedCutoff: 100 * 1024 ** 3,
    });
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

  it('authorizes both routes with the JWT authorizer of that issuer and audience', () => {
    const authorizers = synth.template.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.values(authorizers).map((a: any) => a.Properties)).toEqual([
      expect.objectContaining({
        AuthorizerType: 'JWT',
        JwtConfiguration: { Issuer: 'https://idp.example.com/', Audience: ['outbound-api', 'agents'] },
      }),
    ]);
    const [authorizerId] = Object.keys(authorizers);
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')) as any[];
    expect(routes).toHaveLength(2);
    for (const route of routes) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('offers no IAM invoke policy', () => {
    synth.template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });
});
