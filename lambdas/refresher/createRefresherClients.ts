import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { SDK_MAX_ATTEMPTS } from './RefreshCycleOptions.ts';

/** The AWS clients a refresh run uses. */
export interface RefresherClients {
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  /** The state table's client. */
  readonly dynamodb: DynamoDBClient;
}

/**
 * Creates the SSM and Secrets Manager clients in the SDK's adaptive retry mode (client-side rate
 * limiting plus exponential backoff on throttling) with {@link SDK_MAX_ATTEMPTS} attempts.
 * Region, endpoint (`AWS_ENDPOINT_URL`) and credentials come from the standard SDK environment.
 *
 * @param options.requestHandler - the HTTP handler under the SDK's middleware (default: the
 * SDK's); tests inject faults here so that the real retry strategy handles them
 *
 * @example
 * const { ssm, secretsManager } = createRefresherClients();
 */
export function createRefresherClients(
  options: Pick<SSMClientConfig, 'requestHandler'> = {},
): RefresherClients {
  const config = { retryMode: 'adaptive', maxAttempts: SDK_MAX_ATTEMPTS, ...options } as const;
  return {
    ssm: new SSMClient(config),
    secretsManager: new SecretsManagerClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}
