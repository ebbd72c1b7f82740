import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tokenParameterProvider } from '../../infra/dynamic/index.ts';
import {
  defaultSecretName,
  lockParameterName,
  tokenParameterName,
} from '../../lambdas/envelope/names.ts';

/**
 * What `pulumi up` leaves before the first refresh, against moto: per instance its credentials
 * secret `{prefix}/{name}` and its pending token parameter (created by the dynamic provider).
 *
 * @param credentials - each instance's credentials, keyed by instance name
 */
export async function provisionInstances(
  prefix: string,
  region: string,
  credentials: Readonly<Record<string, unknown>>,
): Promise<void> {
  const secrets = new SecretsManagerClient({});
  try {
    for (const [name, value] of Object.entries(credentials)) {
      await secrets.send(
        new CreateSecretCommand({
          Name: defaultSecretName(prefix, name),
          SecretString: JSON.stringify(value),
        }),
      );
      await tokenParameterProvider.create({
        name: tokenParameterName(prefix, name),
        lockName: lockParameterName(prefix, name),
        region,
        kmsKeyId: '',
        tags: {},
      });
    }
  } finally {
    secrets.destroy();
  }
}
