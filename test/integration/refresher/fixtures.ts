import { mock } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { BrokerConfig, InstanceConfig } from '../../../lambdas/config/index.ts';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import {
  defaultStateTableName,
  type TokenEnvelope,
} from '../../../lambdas/reader/contract/index.ts';
import type { LoginFunction } from '../../../lambdas/refresher/RefreshCycleOptions.ts';
import {
  ensureStateTable,
  parseRecord,
  type StateRecord,
} from '../../../lambdas/refresher/StateTable.ts';

/** Test helpers shared by the refresher's tests. */

export const PREFIX = '/token-broker/test';

/** The state table of {@link PREFIX}'s broker. */
export const STATE_TABLE = defaultStateTableName(PREFIX);

/** Creates the state table of a broker (default: {@link PREFIX}'s), as `pulumi up` or `init` do. */
export async function createStateTable(tableName = STATE_TABLE): Promise<void> {
  await ensureStateTable(new DynamoDBClient({}), tableName);
}

/** Reads one instance's item of the state table, or undefined when it has none. */
export async function stateRecord(
  name: string,
  tableName = STATE_TABLE,
): Promise<StateRecord | undefined> {
  const output = await new DynamoDBClient({}).send(
    new GetItemCommand({
      TableName: tableName,
      Key: { instance: { S: name } },
      ConsistentRead: true,
    }),
  );
  return output.Item === undefined ? undefined : parseRecord(output.Item);
}

/** Writes one instance's item of the state table as another run (or a skewed clock) would. */
export async function putStateRecord(
  name: string,
  record: { owner: string; leaseUntil: number; released: boolean },
  tableName = STATE_TABLE,
): Promise<void> {
  await new DynamoDBClient({}).send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        instance: { S: name },
        owner: { S: record.owner },
        leaseUntil: { N: String(record.leaseUntil) },
        released: { BOOL: record.released },
      },
    }),
  );
}

/** A broker configuration of OAuth2 instances named `names`, against an unused loopback URL. */
export function oauth2Config(names: readonly string[], prefix = PREFIX): BrokerConfig {
  return parseBrokerConfig(
    {
      parameterPrefix: prefix,
      instances: names.map((name) => ({
        name,
        type: 'oauth2-client-credentials',
        tokenUrl: 'http://127.0.0.1:9/token',
      })),
    },
    'test',
  );
}

/** Client credentials whose secret is recognisable in captured output. */
export function clientCredentials(name: string) {
  return { clientId: `client-${name}`, clientSecret: `s3cr3t-${name}-do-not-log` };
}

/** Writes each instance's credentials secret (`{prefix}/{name}`). */
export async function seedSecrets(
  names: readonly string[],
  value: (name: string) => string = (name) => JSON.stringify(clientCredentials(name)),
  prefix = PREFIX,
): Promise<void> {
  const secrets = new SecretsManagerClient({});
  for (const name of names) {
    await secrets.send(
      new CreateSecretCommand({ Name: `${prefix}/${name}`, SecretString: value(name) }),
    );
  }
}

/** An envelope for an OAuth2 instance issued at `issuedAt` and living `lifetimeMs`. */
export function envelopeFor(
  name: string,
  issuedAt: number,
  lifetimeMs = 3_600_000,
  token = `token-${name}-${issuedAt}`,
): TokenEnvelope {
  return {
    version: 1,
    name,
    provider: 'oauth2-client-credentials',
    tokenType: 'Bearer',
    token,
    issuedAt: new Date(issuedAt).toISOString(),
    expiresAt: new Date(issuedAt + lifetimeMs).toISOString(),
    refreshAt: new Date(issuedAt + lifetimeMs * 0.7).toISOString(),
    headers: {},
  };
}

/** Stores an envelope as the refresher would. */
export async function storeEnvelope(envelope: TokenEnvelope, prefix = PREFIX): Promise<void> {
  await new SSMClient({}).send(
    new PutParameterCommand({
      Name: `${prefix}/${envelope.name}`,
      Value: JSON.stringify(envelope),
      Type: 'SecureString',
      Overwrite: true,
    }),
  );
}

/** Reads back an instance's stored parameter value (decrypted), or undefined. */
export async function storedValue(name: string, prefix = PREFIX): Promise<string | undefined> {
  try {
    const output = await new SSMClient({}).send(
      new GetParameterCommand({ Name: `${prefix}/${name}`, WithDecryption: true }),
    );
    return output.Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/** A login that counts its calls and returns a fresh envelope, optionally after a delay. */
export function fakeLogin(
  options: {
    lifetimeMs?: number;
    delayMs?: number;
    fail?: (instance: InstanceConfig) => Error | undefined;
  } = {},
) {
  const calls: string[] = [];
  const login: LoginFunction = async (instance, _credentials, { now, signal }) => {
    calls.push(instance.name);
    if (options.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
    signal.throwIfAborted();
    const error = options.fail?.(instance);
    if (error !== undefined) throw error;
    return envelopeFor(instance.name, now(), options.lifetimeMs);
  };
  return { login, calls };
}

/**
 * Captures everything Powertools writes (logger and metrics use the global console when
 * POWERTOOLS_DEV is set, which this sets, keeping metrics enabled). Call `restore()` when done.
 */
export function captureConsole() {
  process.env.POWERTOOLS_DEV = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  const mocks = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    mock.method(console, method, record),
  );
  return {
    lines,
    /** Parsed JSON records (log lines and EMF documents). */
    records: (): Record<string, unknown>[] =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    restore: () => {
      for (const method of mocks) method.mock.restore();
      delete process.env.POWERTOOLS_DEV;
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    },
  };
}
