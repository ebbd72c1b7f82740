import type * as pulumi from '@pulumi/pulumi';
import { type TokenParameterTier, TokenParameterTiers } from '../../lambdas/config/readers.ts';
import { PENDING_TOKEN_VALUE } from '../../lambdas/reader/contract/envelope.ts';
import { PARAMETER_PREFIX_PATTERN } from '../../lambdas/reader/contract/names.ts';
import type { TokenParameterInputs, TokenParameterOutputs } from './TokenParameterState.ts';

type Ssm = typeof import('@aws-sdk/client-ssm');

/**
 * The dynamic provider of a token parameter. It creates the SSM SecureString holding
 * {@link PENDING_TOKEN_VALUE}, reads back only metadata (DescribeParameters, never GetParameter),
 * and deletes it. The refresher owns the value, so no live token ever enters the Pulumi state.
 *
 * - A new name or region replaces the parameter (create the new one, then delete the old one).
 * - New tags update it in place; the value is not touched.
 * - A new KMS key updates it in place by resetting the value to {@link PENDING_TOKEN_VALUE} under
 *   the new key: the provider never reads a token, and the refresher, which is granted only the new
 *   key, could not decrypt one sealed with the old key. `TokenBroker` re-runs its first refresh on
 *   a key change, so the token is republished within the same `pulumi up`.
 * - Sharing it (`requestedTier` becomes `Advanced`) resets it to pending the same way, now
 *   Advanced; unsharing it replaces it, deleting it first (an advanced parameter never returns to
 *   standard, and the new one has the same name).
 *
 * Pulumi serialises these methods into the state, and AWS SDK v3 clients cannot be serialised: the
 * SDK is imported inside each call ({@link withSsmClient}).
 */
export const tokenParameterProvider: pulumi.dynamic.ResourceProvider<
  TokenParameterInputs,
  TokenParameterOutputs
> = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!PARAMETER_PREFIX_PATTERN.test(news.name ?? '')) {
      failures.push({ property: 'name', reason: 'must be an SSM path such as /prefix/name' });
    }
    if (typeof news.region !== 'string' || news.region === '') {
      failures.push({ property: 'region', reason: 'must name an AWS region' });
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = (['name', 'region'] as const).filter(
      (key) => olds[key] !== news[key],
    );
    const unshared = tierOf(olds) === 'Advanced' && tierOf(news) !== 'Advanced';
    if (unshared) replaces.push('requestedTier');
    const changed =
      replaces.length > 0 ||
      olds.kmsKeyId !== news.kmsKeyId ||
      tierOf(olds) !== tierOf(news) ||
      JSON.stringify(sortedEntries(olds.tags)) !== JSON.stringify(sortedEntries(news.tags));
    // Same name and region: the old parameter must go before the new one can be created.
    const sameName = replaces.every((key) => key === 'requestedTier');
    return { changes: changed, replaces, deleteBeforeReplace: unshared && sameName };
  },

  async create(inputs) {
    return withSsmClient(inputs.region, async (ssm, client) => {
      try {
        await client.send(
          new ssm.PutParameterCommand({
            Name: inputs.name,
            Description: 'token-broker token envelope, published by the refresher',
            ...pendingParameter(inputs.kmsKeyId, tierOf(inputs)),
            Overwrite: false,
            Tags: Object.entries(inputs.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      } catch (error) {
        if (error instanceof ssm.ParameterAlreadyExists) {
          throw new Error(
            `SSM parameter ${inputs.name} already exists: another stack owns it or a deleted stack left it behind. Delete it (aws ssm delete-parameter --name ${inputs.name}) or choose another parameterPrefix.`,
          );
        }
        throw error;
      }
      const metadata = await describeParameter(ssm, client, inputs.name);
      if (metadata === undefined)
        throw new Error(`${inputs.name} vanished right after its creation`);
      return { id: inputs.name, outs: { ...inputs, ...metadata } };
    });
  },

  async read(id, props) {
    const region = props?.region;
    if (region === undefined) throw new Error(`cannot read ${id}: its region is unknown`);
    return withSsmClient(region, async (ssm, client) => {
      const metadata = await describeParameter(ssm, client, id);
      if (metadata === undefined) return {};
      const listed = await client.send(
        new ssm.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: id }),
      );
      const tags = Object.fromEntries(
        (listed.TagList ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']),
      );
      return {
        id,
        props: {
          name: id,
          region,
          kmsKeyId: props?.kmsKeyId ?? '',
          tags,
          ...(props?.requestedTier === undefined ? {} : { requestedTier: props.requestedTier }),
          ...metadata,
        },
      };
    });
  },

  async update(id, olds, news) {
    return withSsmClient(news.region, async (ssm, client) => {
      if (olds.kmsKeyId !== news.kmsKeyId || tierOf(olds) !== tierOf(news)) {
        await client.send(
          new ssm.PutParameterCommand({
            Name: id,
            ...pendingParameter(news.kmsKeyId, tierOf(news)),
            Overwrite: true,
          }),
        );
      }
      const removed = Object.keys(olds.tags).filter((key) => !(key in news.tags));
      if (removed.length > 0) {
        await client.send(
          new ssm.RemoveTagsFromResourceCommand({
            ResourceType: 'Parameter',
            ResourceId: id,
            TagKeys: removed,
          }),
        );
      }
      const tags = Object.entries(news.tags).map(([Key, Value]) => ({ Key, Value }));
      if (tags.length > 0) {
        await client.send(
          new ssm.AddTagsToResourceCommand({
            ResourceType: 'Parameter',
            ResourceId: id,
            Tags: tags,
          }),
        );
      }
      const metadata = await describeParameter(ssm, client, id);
      if (metadata === undefined) throw new Error(`SSM parameter ${id} no longer exists`);
      return { outs: { ...news, ...metadata } };
    });
  },

  async delete(id, props) {
    await withSsmClient(props.region, async (ssm, client) => {
      try {
        await client.send(new ssm.DeleteParameterCommand({ Name: id }));
      } catch (error) {
        if (!(error instanceof ssm.ParameterNotFound)) throw error;
      }
    });
  },
};

/**
 * A token parameter as the provider writes it, at creation and on a key or tier change: the
 * pending value, a SecureString in the tier, with the key (`''`: the account's `aws/ssm` key).
 */
function pendingParameter(kmsKeyId: string, tier: TokenParameterTier) {
  return {
    Value: PENDING_TOKEN_VALUE,
    Type: 'SecureString',
    Tier: tier,
    ...(kmsKeyId === '' ? {} : { KeyId: kmsKeyId }),
  } as const;
}

/** The tier the inputs ask for; states written before sharing existed ask for none. */
function tierOf(inputs: Pick<TokenParameterInputs, 'requestedTier'>): TokenParameterTier {
  return inputs.requestedTier ?? TokenParameterTiers.unshared;
}

type SsmClient = InstanceType<Ssm['SSMClient']>;

/**
 * Runs `use` with a new SSM client of the region and destroys the client afterwards, whatever
 * `use` does. The SDK is imported here, inside the call: Pulumi serialises the provider's methods,
 * and SDK clients cannot be serialised.
 */
async function withSsmClient<T>(
  region: string,
  use: (ssm: Ssm, client: SsmClient) => Promise<T>,
): Promise<T> {
  const ssm: Ssm = await import('@aws-sdk/client-ssm');
  const client = new ssm.SSMClient({ region });
  try {
    return await use(ssm, client);
  } finally {
    client.destroy();
  }
}

type ParameterMetadata = Pick<TokenParameterOutputs, 'type' | 'tier' | 'keyId'>;

/** The parameter's metadata (DescribeParameters: never its value), or undefined when it is gone. */
async function describeParameter(
  ssm: Ssm,
  client: SsmClient,
  name: string,
): Promise<ParameterMetadata | undefined> {
  const output = await client.send(
    new ssm.DescribeParametersCommand({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
    }),
  );
  const found = output.Parameters?.find((parameter) => parameter.Name === name);
  if (found === undefined) return undefined;
  return {
    type: found.Type ?? '',
    tier: found.Tier ?? '',
    keyId: found.KeyId ?? '',
  };
}

function sortedEntries(tags: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
