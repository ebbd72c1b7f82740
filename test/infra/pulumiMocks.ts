import * as pulumi from '@pulumi/pulumi';
import type { InstanceResult } from '../../lambdas/refresher/contract.ts';

/** One `newResource` call the mocks saw: the resource's type, name and inputs (secrets still wrapped). */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** The key and value Pulumi uses to mark a serialised secret. */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export const MOCK_ACCOUNT = '123456789012';
export const MOCK_REGION = 'us-east-1';

/**
 * The ARN the mocks give a regional resource of the mock account.
 *
 * @example
 * mockArn('sqs', 'tb-dead-letters-0a1b2c3'); // => 'arn:aws:sqs:us-east-1:123456789012:tb-dead-letters-0a1b2c3'
 */
export function mockArn(service: string, resource: string): string {
  return `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;
}

/** Whether a recorded input value is a Pulumi secret. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

/** What the mocked refresher answers an invocation with: its per-instance results. */
export type InvocationAnswer = (names: readonly string[]) => readonly InstanceResult[];

/** The default answer: every named instance refreshed. */
const allRefreshed: InvocationAnswer = (names) =>
  names.map((name) => ({ name, outcome: 'refreshed' }));

function outputsOf(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  answer: InvocationAnswer,
): Record<string, unknown> {
  const physical = typeof inputs.name === 'string' ? inputs.name : `${name}-0a1b2c3`;
  switch (type) {
    case 'aws:dynamodb/table:Table':
      return { ...inputs, arn: mockArn('dynamodb', `table/${physical}`) };
    case 'aws:lambda/invocation:Invocation': {
      const { names = [] } = JSON.parse(String(inputs.input)) as { names?: string[] };
      return { ...inputs, result: JSON.stringify({ results: answer(names) }) };
    }
    case 'aws:secretsmanager/secret:Secret':
      return { ...inputs, arn: mockArn('secretsmanager', `secret:${physical}-AbCdEf`) };
    case 'aws:secretsmanager/secretVersion:SecretVersion':
      return { ...inputs, versionId: `version-of-${name}` };
    case 'aws:lambda/function:Function':
      return { ...inputs, name: physical, arn: mockArn('lambda', `function:${physical}`) };
    case 'aws:sqs/queue:Queue':
      return {
        ...inputs,
        name: physical,
        arn: mockArn('sqs', physical),
        url: `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${physical}`,
      };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { ...inputs, name: physical, arn: mockArn('logs', `log-group:${physical}`) };
    case 'aws:iam/role:Role':
      return { ...inputs, name: physical, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${physical}` };
    case 'aws:sns/topic:Topic':
      return { ...inputs, name: physical, arn: mockArn('sns', physical) };
    case 'aws:kms/key:Key':
      return {
        ...inputs,
        keyId: `key-id-of-${name}`,
        arn: mockArn('kms', `key/key-id-of-${name}`),
      };
    case 'aws:ram/resourceShare:ResourceShare':
      return { ...inputs, arn: mockArn('ram', `resource-share/${name}`) };
    default:
      return { ...inputs, name: physical };
  }
}

/**
 * Installs Pulumi mocks that record every `newResource` call and answer the partition, region and
 * caller-identity invokes. Call once per scenario.
 *
 * @param answer - the refresher's results for a Lambda invocation. Default: every instance refreshed.
 */
export async function installMocks(
  answer: InvocationAnswer = allRefreshed,
): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: outputsOf(args.type, args.name, args.inputs, answer),
        };
      },
      call(args) {
        switch (args.token) {
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
          case 'aws:index/getRegion:getRegion':
            return { region: MOCK_REGION, name: MOCK_REGION, id: MOCK_REGION };
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return {
              accountId: MOCK_ACCOUNT,
              arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/ci`,
              id: MOCK_ACCOUNT,
              userId: 'AIDA',
            };
          default:
            throw new Error(`unexpected invoke ${args.token}`);
        }
      },
    },
    'token-broker',
    'test',
    false,
  );
  return recorded;
}

/**
 * Waits until every pending resource registration has reached the mocks. The SDK exports
 * `waitForRPCs` at runtime but not in its typings.
 */
export async function settle(): Promise<void> {
  const { waitForRPCs } = pulumi.runtime as { waitForRPCs?: () => Promise<void> };
  if (waitForRPCs === undefined) throw new Error('this @pulumi/pulumi has no runtime.waitForRPCs');
  await waitForRPCs();
}

/** Resolves an output's value under the mocks. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The resources of a type. */
export function ofType(recorded: readonly RecordedResource[], type: string): RecordedResource[] {
  return recorded.filter((resource) => resource.type === type);
}

/** The one resource of a type and name. */
export function find(
  recorded: readonly RecordedResource[],
  type: string,
  name: string,
): RecordedResource {
  const found = recorded.find((resource) => resource.type === type && resource.name === name);
  if (found === undefined) {
    throw new Error(
      `no ${type} named ${name}; have ${recorded.map((r) => `${r.type} ${r.name}`).join(', ')}`,
    );
  }
  return found;
}

/** One resource as a transformation saw it: with its options, which the mocks are not shown. */
export interface SeenResource {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.ResourceOptions;
}

/**
 * A transformation that records every resource created below the component given it, with its
 * options.
 *
 * @example
 * const seen: SeenResource[] = [];
 * new TokenBroker('tb', args, { transformations: [recordOptions(seen)] });
 */
export function recordOptions(seen: SeenResource[]): pulumi.ResourceTransformation {
  return ({ type, name, opts }) => {
    seen.push({ type, name, opts });
    return undefined;
  };
}

/** The URNs a seen resource's aliases name, as the engine resolves an alias's parent, type and name. */
export function aliasUrns({ type, name, opts }: SeenResource): Promise<string[]> {
  const urns = (opts.aliases ?? []).map((alias) => {
    const { name: aliasName = name, type: aliasType = type, parent } = alias as pulumi.Alias;
    return pulumi.createUrn(aliasName, aliasType, parent);
  });
  return resolved(pulumi.all(urns));
}
