import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type * as pulumi from '@pulumi/pulumi';
import { tokenParameterProvider } from '../../infra/dynamic/index.ts';
import type {
  TokenParameterInputs,
  TokenParameterOutputs,
} from '../../infra/dynamic/TokenParameterState.ts';
import { PENDING_TOKEN_VALUE } from '../../lambdas/reader/contract/index.ts';
import { type Moto, startMoto } from '../support/moto.ts';

type Provider = pulumi.dynamic.ResourceProvider<TokenParameterInputs, TokenParameterOutputs>;

const require = createRequire(import.meta.url);

/** The provider as Pulumi's dynamic-provider host runs it: serialised, then loaded from text. */
async function deserialisedProvider(): Promise<Provider> {
  const { serializeFunction } = require('@pulumi/pulumi/runtime/closure/serializeClosure') as {
    serializeFunction(f: () => unknown, options: object): Promise<{ text: string }>;
  };
  const requireFromString = require('require-from-string') as (code: string) => {
    handler(): Provider;
  };
  const serialised = await serializeFunction(() => tokenParameterProvider, { allowSecrets: true });
  assert.doesNotMatch(serialised.text, /SSMClient\s*=/, 'the SDK must not be captured');
  return requireFromString(serialised.text).handler();
}

function inputs(overrides: Partial<TokenParameterInputs> = {}): TokenParameterInputs {
  return {
    name: '/tb/dev/idp',
    region: 'us-east-1',
    kmsKeyId: '',
    tags: { team: 'platform' },
    ...overrides,
  };
}

for (const [label, load] of [
  ['as written', async () => tokenParameterProvider as Provider],
  ['after serialisation', deserialisedProvider],
] as const) {
  describe(`Provider: tokenParameterProvider (${label}) against moto`, () => {
    let moto: Moto;
    let ssm: SSMClient;
    let provider: Provider;

    before(async () => {
      moto = await startMoto();
      ssm = new SSMClient({});
      provider = await load();
    });
    after(async () => {
      ssm.destroy();
      await moto.stop();
    });
    beforeEach(async () => {
      await moto.reset();
    });

    describe('Method: create', () => {
      it('creates a SecureString holding the pending value and keeps only metadata', async () => {
        // Act
        const created = await provider.create(inputs());
        // Assess
        assert.equal(created.id, '/tb/dev/idp');
        const stored = await ssm.send(
          new GetParameterCommand({ Name: '/tb/dev/idp', WithDecryption: true }),
        );
        assert.equal(stored.Parameter?.Type, 'SecureString');
        assert.equal(stored.Parameter?.Value, PENDING_TOKEN_VALUE);
        assert.equal(created.outs?.type, 'SecureString');
        assert.ok(
          ['Standard', 'Advanced', 'Intelligent-Tiering'].includes(created.outs?.tier ?? ''),
        );
        assert.ok(!JSON.stringify(created.outs).includes('pending'), 'no value in the outputs');
        const tags = await ssm.send(
          new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tb/dev/idp' }),
        );
        assert.deepEqual(tags.TagList, [{ Key: 'team', Value: 'platform' }]);
      });

      it('uses the configured KMS key', async () => {
        // Act
        const created = await provider.create(inputs({ kmsKeyId: 'alias/token-broker' }));
        // Assess
        assert.equal(created.outs?.keyId, 'alias/token-broker');
      });

      it('refuses to take over a parameter that already exists, and leaves its value alone', async () => {
        // Prepare
        await ssm.send(
          new PutParameterCommand({ Name: '/tb/dev/idp', Value: 'live', Type: 'SecureString' }),
        );
        // Act + Assess
        await assert.rejects(provider.create(inputs()), /\/tb\/dev\/idp already exists/);
        const stored = await ssm.send(
          new GetParameterCommand({ Name: '/tb/dev/idp', WithDecryption: true }),
        );
        assert.equal(stored.Parameter?.Value, 'live');
      });
    });

    describe('Method: read', () => {
      it('reads metadata and tags, never the published token', async () => {
        // Prepare
        const created = await provider.create(inputs());
        await ssm.send(
          new PutParameterCommand({
            Name: '/tb/dev/idp',
            Value: '{"token":"live-token-value"}',
            Type: 'SecureString',
            Overwrite: true,
          }),
        );
        // Act
        const read = await provider.read?.('/tb/dev/idp', created.outs);
        // Assess
        assert.equal(read?.id, '/tb/dev/idp');
        assert.deepEqual(read?.props?.tags, { team: 'platform' });
        assert.equal(read?.props?.region, 'us-east-1');
        assert.ok(!JSON.stringify(read).includes('live-token-value'));
      });

      it('drops the lock parameter an earlier version kept in the state', async () => {
        // Prepare
        const created = await provider.create(inputs());
        const olds = { ...created.outs, lockName: '/tb/dev/.locks/idp' } as TokenParameterOutputs;
        // Act
        const read = await provider.read?.('/tb/dev/idp', olds);
        // Assess
        assert.deepEqual(Object.keys(read?.props ?? {}).sort(), [
          'keyId',
          'kmsKeyId',
          'name',
          'region',
          'tags',
          'tier',
          'type',
        ]);
      });

      it('reports a deleted parameter as gone', async () => {
        // Prepare
        const created = await provider.create(inputs());
        await ssm.send(new DeleteParameterCommand({ Name: '/tb/dev/idp' }));
        // Act
        const read = await provider.read?.('/tb/dev/idp', created.outs);
        // Assess
        assert.equal(read?.id, undefined);
      });
    });

    describe('Method: check', () => {
      it('accepts a parameter path and a region, and names each bad input', async () => {
        // Act
        const good = await provider.check?.(inputs(), inputs());
        const bad = await provider.check?.(inputs(), inputs({ name: 'tb/dev/idp', region: '' }));
        // Assess
        assert.deepEqual(good?.failures, []);
        assert.deepEqual(
          bad?.failures?.map((failure) => failure.property),
          ['name', 'region'],
        );
      });
    });

    describe('Method: diff', () => {
      it('replaces on a new name or region and updates on a new key or tags', async () => {
        // Prepare
        const olds = (await provider.create(inputs())).outs as TokenParameterOutputs;
        // Act
        const renamed = await provider.diff?.('/tb/dev/idp', olds, inputs({ name: '/tb/prd/idp' }));
        const moved = await provider.diff?.('/tb/dev/idp', olds, inputs({ region: 'eu-west-1' }));
        const rekeyed = await provider.diff?.('/tb/dev/idp', olds, inputs({ kmsKeyId: 'k' }));
        const retagged = await provider.diff?.('/tb/dev/idp', olds, inputs({ tags: {} }));
        const same = await provider.diff?.('/tb/dev/idp', olds, inputs());
        // Assess
        assert.deepEqual(renamed, {
          changes: true,
          replaces: ['name'],
          deleteBeforeReplace: false,
        });
        assert.deepEqual(moved?.replaces, ['region']);
        assert.deepEqual(rekeyed, { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(retagged?.changes, true);
        assert.deepEqual(same?.changes, false);
      });

      it('updates when shared, and replaces, deleting first, when no longer shared', async () => {
        // Prepare
        const unshared = (await provider.create(inputs())).outs as TokenParameterOutputs;
        const shared = { ...unshared, requestedTier: 'Advanced' } as TokenParameterOutputs;
        const { requestedTier: _, ...written } = unshared;
        // Act
        const sharing = await provider.diff?.(
          '/tb/dev/idp',
          unshared,
          inputs({ requestedTier: 'Advanced' }),
        );
        const unsharing = await provider.diff?.('/tb/dev/idp', shared, inputs());
        const renamedUnsharing = await provider.diff?.(
          '/tb/dev/idp',
          shared,
          inputs({ name: '/tb/prd/idp' }),
        );
        const beforeSharing = await provider.diff?.(
          '/tb/dev/idp',
          written as TokenParameterOutputs,
          inputs(),
        );
        // Assess
        assert.deepEqual(sharing, { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(unsharing, {
          changes: true,
          replaces: ['requestedTier'],
          deleteBeforeReplace: true,
        });
        assert.deepEqual(renamedUnsharing, {
          changes: true,
          replaces: ['name', 'requestedTier'],
          deleteBeforeReplace: false,
        });
        assert.deepEqual(
          beforeSharing?.changes,
          false,
          'a state without requestedTier is unshared',
        );
      });

      it('sees no change in a state an earlier version wrote with its lock parameter', async () => {
        // Prepare
        const created = (await provider.create(inputs())).outs as TokenParameterOutputs;
        const olds = { ...created, lockName: '/tb/dev/.locks/idp' } as TokenParameterOutputs;
        // Act
        const diff = await provider.diff?.('/tb/dev/idp', olds, inputs());
        // Assess
        assert.deepEqual(diff, { changes: false, replaces: [], deleteBeforeReplace: false });
      });
    });

    describe('Method: update', () => {
      const publish = (value: string) =>
        ssm.send(
          new PutParameterCommand({
            Name: '/tb/dev/idp',
            Value: value,
            Type: 'SecureString',
            Overwrite: true,
          }),
        );
      const stored = async () =>
        (await ssm.send(new GetParameterCommand({ Name: '/tb/dev/idp', WithDecryption: true })))
          .Parameter;

      it('applies new tags without touching the published value', async () => {
        // Prepare
        const olds = (await provider.create(inputs({ tags: { team: 'a', old: 'x' } })))
          .outs as TokenParameterOutputs;
        await publish('{"token":"live"}');
        // Act
        const updated = await provider.update?.(
          '/tb/dev/idp',
          olds,
          inputs({ tags: { team: 'b' } }),
        );
        // Assess
        const tags = await ssm.send(
          new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tb/dev/idp' }),
        );
        assert.deepEqual(tags.TagList, [{ Key: 'team', Value: 'b' }]);
        assert.deepEqual(updated?.outs?.tags, { team: 'b' });
        assert.equal((await stored())?.Value, '{"token":"live"}');
      });

      it('resets the value to pending under a new key, for the refresher to republish', async () => {
        // Prepare
        const olds = (await provider.create(inputs())).outs as TokenParameterOutputs;
        await publish('{"token":"live"}');
        // Act
        const updated = await provider.update?.(
          '/tb/dev/idp',
          olds,
          inputs({ kmsKeyId: 'alias/new' }),
        );
        // Assess
        assert.equal(updated?.outs?.kmsKeyId, 'alias/new');
        assert.equal(updated?.outs?.keyId, 'alias/new');
        assert.equal((await stored())?.Value, PENDING_TOKEN_VALUE);
        assert.ok(!JSON.stringify(updated).includes('live'));
      });
    });

    describe('Tier: shared tokens', () => {
      it('creates a shared token parameter in the Advanced tier', async () => {
        // Act
        const created = await provider.create(
          inputs({ requestedTier: 'Advanced', kmsKeyId: 'alias/shared' }),
        );
        // Assess
        assert.equal(created.outs?.tier, 'Advanced');
        assert.equal(created.outs?.requestedTier, 'Advanced');
      });

      it('resets the value to pending in the Advanced tier when the token becomes shared', async () => {
        // Prepare
        const olds = (await provider.create(inputs())).outs as TokenParameterOutputs;
        // Act
        const updated = await provider.update?.(
          '/tb/dev/idp',
          olds,
          inputs({ requestedTier: 'Advanced', kmsKeyId: 'alias/shared' }),
        );
        // Assess
        assert.equal(updated?.outs?.tier, 'Advanced');
        const stored = await ssm.send(
          new GetParameterCommand({ Name: '/tb/dev/idp', WithDecryption: true }),
        );
        assert.equal(stored.Parameter?.Value, PENDING_TOKEN_VALUE);
      });
    });

    describe('Method: delete', () => {
      it('deletes only the token parameter, and tolerates it being gone', async () => {
        // Prepare
        const created = await provider.create(inputs());
        await ssm.send(
          new PutParameterCommand({ Name: '/tb/dev/idp-other', Value: '{}', Type: 'String' }),
        );
        // Act
        await provider.delete?.('/tb/dev/idp', created.outs as TokenParameterOutputs);
        await provider.delete?.('/tb/dev/idp', created.outs as TokenParameterOutputs);
        // Assess
        await assert.rejects(
          ssm.send(new GetParameterCommand({ Name: '/tb/dev/idp' })),
          (error: Error) => error.name === 'ParameterNotFound',
        );
        const neighbour = await ssm.send(new GetParameterCommand({ Name: '/tb/dev/idp-other' }));
        assert.equal(neighbour.Parameter?.Value, '{}');
      });
    });
  });
}
