import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tokenParameterProvider } from '../../infra/dynamic/index.ts';
import {
  defaultSecretName,
  defaultStateTableName,
  tokenParameterName,
} from '../../lambdas/reader/contract/names.ts';
import { STATE_TABLE_PARTITION_KEY } from '../../lambdas/refresher/contract.ts';

/**
 * What `pulumi up` leaves before the first refresh, against moto: the state table (the schema
 * `stateTableArgs` gives it), and per instance its credentials secret `{prefix}/{name}` and its
 * pending token parameter (created by the dynamic provider).
 *
 * @param credentials - each instance's credentials, keyed by instance name
 */
export async function provisionInstances(
  prefix: string,
  region: string,
  credentials: Readonly<Record<string, unknown>>,
): Promise<void> {
  const dynamodb = new DynamoDBClient({});
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: defaultStateTableName(prefix),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: STATE_TABLE_PARTITION_KEY, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: STATE_TABLE_PARTITION_KEY, AttributeType: 'S' }],
      }),
    );
  } finally {
    dynamodb.destroy();
  }
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
        region,
        kmsKeyId: '',
        tags: {},
      });
    }
  } finally {
    secrets.destroy();
  }
}
