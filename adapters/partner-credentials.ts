import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Partner } from '../domain/exports/partners.ts';

/**
 * The password of a partner's SFTP user for a direct connection (docs/exports.md "Partner delivery"), never from
 * the environment: from the Secrets Manager secret named by the registry's `secretArn` (AWS; the same
 * `{"Username", "Password"}` secret a Transfer Family connector reads), else from the local runtime's embedded
 * server, which registers the password it generated in this process. A connector delivery needs none: the
 * connector reads its own secret.
 */
const localPasswords = new Map<string, string>();
let secretsManager: SecretsManagerClient | undefined;

/** The local runtime: the password of the embedded server it started for `partner`. */
export function registerLocalPartnerPassword(partner: string, password: string): void {
  localPasswords.set(partner, password);
}

export function forgetLocalPartnerPassword(partner: string): void {
  localPasswords.delete(partner);
}

export async function partnerPassword(name: string, partner: Partner, client?: SecretsManagerClient): Promise<string> {
  if (partner.secretArn) {
    if (!client && !secretsManager) secretsManager = new SecretsManagerClient({});
    const sm = client ?? secretsManager!;
    let text: string | undefined;
    try {
      text = (await sm.send(new GetSecretValueCommand({ SecretId: partner.secretArn }))).SecretString;
    } catch (error) {
      throw new Error(`partner ${name}: cannot read its secret ${partner.secretArn}: ${(error as Error).name}`);
    }
    const password = secretPassword(text);
    if (!password) throw new Error(`partner ${name}: its secret ${partner.secretArn} holds no "Password" (expected {"Username": …, "Password": …})`);
    return password;
  }
  const local = localPasswords.get(name);
  if (local === undefined) throw new Error(`partner ${name}: no secretArn in the partner registry and no local SFTP server for it`);
  return local;
}

/** `Password` of the JSON secret; nothing else of it is looked at, and nothing of it ever goes into a message. */
function secretPassword(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { Password?: unknown };
    return typeof value.Password === 'string' && value.Password !== '' ? value.Password : undefined;
  } catch {
    return undefined;
  }
}
