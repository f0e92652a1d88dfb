import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnConnector } from 'aws-cdk-lib/aws-transfer';
import { Construct } from 'constructs';
import { resources } from '../config/resources.ts';
import type { Partner, PartnerServer } from '../domain/exports/partners.ts';
import { grantObjects } from './access.ts';

export interface PartnerDeliveryProps {
  /** The partners of the settings (`outbound:partners`), by snake_case name. */
  partners: Record<string, PartnerServer>;
  exports: IBucket;
  key: IKey;
}

interface PartnerConnector {
  connector: CfnConnector;
  secret: Secret;
  role: Role;
  /** `delivery-checks/<partner>/`: where the connector retrieves the delivered files back to, for the reconciliation. */
  checkPrefix: string;
}

/**
 * Partner delivery in AWS (docs/exports.md "Partner delivery"): one Transfer Family SFTP connector per partner of
 * the settings, with the partner's pinned host key (TrustedHostKeys) and a Secrets Manager secret for its user
 * (`{"Username", "Password"}`, encrypted with the stack's key; the password is put in after deploy, never in
 * code or context). The connector's access role may read the exported files, write the files it retrieves back and
 * read its own secret; nothing else. No partner: no resource, and the registry handed to DeliverExports is empty.
 */
export class PartnerDelivery extends Construct {
  readonly connectors: Record<string, PartnerConnector> = {};

  constructor(scope: Construct, id: string, props: PartnerDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { exports, key } = props;
    for (const [name, partner] of Object.entries(props.partners)) {
      const idPart = name
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join('');
      const secret = new Secret(this, `${idPart}Secret`, {
        description: `outbound: SFTP user of partner ${name} for its Transfer Family connector; set {"Username","Password"} after deploy`,
        encryptionKey: key,
        generateSecretString: { secretStringTemplate: JSON.stringify({ Username: partner.username }), generateStringKey: 'Password', excludePunctuation: true },
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: "The password is the partner's SFTP account, changed together with the partner (runbook); an automatic rotation would lock the delivery out.",
      });

      const role = new Role(this, `${idPart}ConnectorRole`, {
        assumedBy: new ServicePrincipal('transfer.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:transfer:${stack.region}:${stack.account}:connector/*` },
          },
        }),
        description: `outbound: Transfer Family connector of partner ${name}`,
      });
      const checkPrefix = `${resources.prefixes.deliveryChecks}${name}/`;
      // Sends read the exported files; read-backs are written under the partner's own prefix.
      grantObjects(role, exports, key, resources.prefixes.exports, { read: true });
      grantObjects(role, exports, key, checkPrefix, { write: true });
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));

      const connector = new CfnConnector(this, `${idPart}Connector`, {
        url: `sftp://${partner.host}:${partner.port}`,
        accessRole: role.roleArn,
        sftpConfig: { trustedHostKeys: [partner.trustedHostKey], userSecretId: secret.secretArn },
        tags: [{ key: 'outbound:partner', value: name }],
      });
      this.connectors[name] = { connector, secret, role, checkPrefix };
    }
  }

  /** The registry DeliverExports reads (OUTBOUND_PARTNERS): each partner through its connector. */
  registry(partners: Record<string, PartnerServer>, exports: IBucket): Record<string, Partner> {
    return Object.fromEntries(
      Object.entries(partners).map(([name, partner]) => {
        const { connector, checkPrefix } = this.connectors[name]!;
        return [name, { ...partner, connectorId: connector.attrConnectorId, checkDirectory: `/${exports.bucketName}/${checkPrefix}` }];
      }),
    );
  }

  /** DeliverExports' rights: start transfers on the connectors and see their results, read the files retrieved back. */
  grantDelivery(role: IRole, exports: IBucket, key: IKey): void {
    const connectors = Object.values(this.connectors);
    if (connectors.length === 0) return;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['transfer:StartFileTransfer', 'transfer:ListFileTransferResults'],
        resources: connectors.map(({ connector }) => connector.attrArn),
      }),
    );
    for (const { checkPrefix } of connectors) grantObjects(role, exports, key, checkPrefix, { read: true });
  }
}
