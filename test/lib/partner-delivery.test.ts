import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { envNames } from '../../config/environment.ts';
import { contextKeys, readSettings } from '../../lib/settings.ts';
import { synthesize, type Synthesized } from './synth.ts';
import { App } from 'aws-cdk-lib';
import { cdkJsonContext } from './synth.ts';

/** Partner delivery in AWS: a Transfer Family SFTP connector per partner of the settings, its secret and role, DeliverExports' grants. */
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOaGl1q1nuqOqxdxhj6qbwO9hOzKnBdNlrZQl5Ih0jQZ';
const partners = {
  simm: { host: 'sftp.simm.example', port: 2222, username: 'outbound', trustedHostKey: KEY, remoteDirectory: '/inbound' },
  email_provider: { host: 'sftp.esp.example', username: 'servicer', trustedHostKey: KEY, remoteDirectory: '/uploads' },
};

let defaults: Synthesized;
let withPartners: Synthesized;
beforeAll(() => {
  defaults = synthesize({ full: false });
  // As `-c outbound:partners='{…}'` gives it: text.
  withPartners = synthesize({ full: false, context: { [contextKeys.partners]: JSON.stringify(partners) } });
});
afterAll(() => {
  defaults?.dispose();
  withPartners?.dispose();
});

const logicalId = (synth: Synthesized, construct: { node: { defaultChild?: unknown } } | CfnElement): string =>
  synth.stack.resolve(synth.stack.getLogicalId(('node' in construct && (construct.node.defaultChild as CfnElement)) || (construct as CfnElement)));
const statementsOf = (synth: Synthesized, roleLogicalId: string): any[] =>
  Object.values(synth.template.findResources('AWS::IAM::Policy'))
    .filter((policy: any) => policy.Properties.Roles.some((role: any) => role.Ref === roleLogicalId))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
const actionsOf = (statement: any): string[] => [statement.Action].flat();
const deliverFunction = (synth: Synthesized) =>
  Object.values(synth.template.findResources('AWS::Lambda::Function')).find((fn: any) =>
    fn.Properties.Description?.startsWith('Daily run: the exported files with a delivery'),
  ) as any;

describe('partner delivery without partners (the default)', () => {
  it('creates no connector, no secret and no connector role, and hands the step an empty registry', () => {
    defaults.template.resourceCountIs('AWS::Transfer::Connector', 0);
    defaults.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(deliverFunction(defaults).Properties.Environment.Variables[envNames.partners]).toBe('{}');
    const statements = statementsOf(defaults, logicalId(defaults, defaults.stack.functions.deliverExports.role!));
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('transfer:'))).toEqual([]);
  });
});

describe('partner delivery with partners', () => {
  it('gives each partner a connector to its server with the pinned host key and its own secret', () => {
    withPartners.template.resourceCountIs('AWS::Transfer::Connector', 2);
    const { simm } = withPartners.stack.partnerDelivery.connectors;
    withPartners.template.hasResourceProperties('AWS::Transfer::Connector', {
      Url: 'sftp://sftp.simm.example:2222',
      AccessRole: { 'Fn::GetAtt': [logicalId(withPartners, simm!.role), 'Arn'] },
      SftpConfig: { TrustedHostKeys: [KEY], UserSecretId: { Ref: logicalId(withPartners, simm!.secret) } },
    });
    withPartners.template.hasResourceProperties('AWS::Transfer::Connector', { Url: 'sftp://sftp.esp.example:22' });
  });

  it('encrypts each secret with the stack key, holding the username and a generated password to be replaced', () => {
    withPartners.template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    withPartners.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [logicalId(withPartners, withPartners.stack.storage.key), 'Arn'] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"Username":"outbound"}', GenerateStringKey: 'Password' }),
    });
  });

  it("lets the connector's role be assumed by Transfer Family of this account only, read the exports, write the files it retrieves back and read its own secret", () => {
    const { simm } = withPartners.stack.partnerDelivery.connectors;
    const roleId = logicalId(withPartners, simm!.role);
    withPartners.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'transfer.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
    });
    const statements = statementsOf(withPartners, roleId);
    const exportsBucket = logicalId(withPartners, withPartners.stack.storage.exports);
    const onPrefix = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [exportsBucket, 'Arn'] }, `/${prefix}*`]] });
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 's3:GetObject', Resource: onPrefix('exports/') }),
        expect.objectContaining({ Action: expect.arrayContaining(['s3:PutObject']), Resource: onPrefix('delivery-checks/simm/') }),
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: logicalId(withPartners, simm!.secret) } }),
      ]),
    );
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      [
        'kms:Decrypt',
        'kms:GenerateDataKey',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListMultipartUploadParts',
        's3:PutObject',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
  });

  it('lets DeliverExports start transfers and read their results on the two connectors only, and read the exports and the files retrieved back', () => {
    const { simm, email_provider } = withPartners.stack.partnerDelivery.connectors;
    const statements = statementsOf(withPartners, logicalId(withPartners, withPartners.stack.functions.deliverExports.role!));
    const transfer = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('transfer:')));
    expect(transfer).toEqual([
      expect.objectContaining({
        Action: ['transfer:ListFileTransferResults', 'transfer:StartFileTransfer'],
        Resource: expect.arrayContaining([
          { 'Fn::GetAtt': [logicalId(withPartners, simm!.connector), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(withPartners, email_provider!.connector), 'Arn'] },
        ]),
      }),
    ]);
    expect(transfer[0].Resource).toHaveLength(2);
    const reads = statements.filter((statement) => actionsOf(statement).includes('s3:GetObject')).map((statement) => JSON.stringify(statement.Resource));
    expect(reads).toHaveLength(1);
    expect(reads.join()).toContain('/exports/*');
    expect(reads.join()).toContain('/delivery-checks/simm/*');
    expect(reads.join()).toContain('/delivery-checks/email_provider/*');
    expect(statements.flatMap(actionsOf).filter((action) => /^(s3:(Put|Delete)|secretsmanager:)/.test(action))).toEqual([]);
  });

  it('hands the step the registry: each partner with its connector id and check directory, never a password', () => {
    const variable = deliverFunction(withPartners).Properties.Environment.Variables[envNames.partners];
    const text = JSON.stringify(variable);
    expect(text).toContain(logicalId(withPartners, withPartners.stack.partnerDelivery.connectors.simm!.connector));
    expect(text).toContain('ConnectorId');
    expect(text).toContain('/delivery-checks/simm/');
    expect(text).toContain('\\"remoteDirectory\\":\\"/inbound\\"');
    expect(text).not.toMatch(/password/i);
  });

  it('passes cdk-nag AwsSolutions, the secrets acknowledged with their reason', () => {
    const report = new AwsSolutionsChecks().validateScope(withPartners.stack);
    expect(report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the outbound:partners setting', () => {
  const settingsWith = (value: unknown) => readSettings(new App({ context: { ...cdkJsonContext, [contextKeys.partners]: value } }).node);

  it('reads a JSON object from cdk.json and its text from -c, with the default port', () => {
    expect(settingsWith({ simm: partners.simm }).partners).toEqual({ simm: partners.simm });
    expect(settingsWith(JSON.stringify({ email_provider: partners.email_provider })).partners).toEqual({
      email_provider: { ...partners.email_provider, port: 22 },
    });
    expect(settingsWith('').partners).toEqual({});
  });

  it('refuses text that is not JSON, a partner name that is not snake_case, a bad host key and a password, naming the key', () => {
    expect(() => settingsWith('{simm')).toThrow(/^context outbound:partners must be a JSON object of partners/);
    expect(() => settingsWith({ SIMM: partners.simm })).toThrow(/partner names are snake_case/);
    expect(() => settingsWith({ simm: { ...partners.simm, trustedHostKey: 'AAAA' } })).toThrow(/expected an OpenSSH public key line/);
    expect(() => settingsWith({ simm: { ...partners.simm, password: 'x' } })).toThrow(
      /^context outbound:partners is not a set of partners: .*Unrecognized key: "password"/s,
    );
  });
});
