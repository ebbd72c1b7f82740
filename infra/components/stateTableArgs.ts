import type * as aws from '@pulumi/aws';
import { STATE_TABLE_PARTITION_KEY } from '../../lambdas/refresher/contract.ts';

/** What the state table is made of. */
export interface StateTableInput {
  /** The configuration's `stateTable`. */
  readonly tableName: string;
  readonly parameterPrefix: string;
  /** The stack's customer-managed key. Default: DynamoDB's AWS owned key. */
  readonly kmsKeyArn: string | undefined;
}

/**
 * The arguments of the broker's state table, which holds each instance's login lease and refresh
 * record: on-demand billing, keyed by instance name, encrypted at rest with the stack's key when
 * one is configured. Without one, no `serverSideEncryption` block is sent: DynamoDB then encrypts
 * with its AWS owned key (`enabled: true` without a key would choose the AWS managed
 * `aws/dynamodb` key instead).
 *
 * @example
 * new aws.dynamodb.Table('tb-state', stateTableArgs({ tableName: 'tb-dev-state', parameterPrefix: '/tb/dev', kmsKeyArn: undefined }));
 */
export function stateTableArgs(input: StateTableInput): aws.dynamodb.TableArgs {
  return {
    name: input.tableName,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: STATE_TABLE_PARTITION_KEY,
    attributes: [{ name: STATE_TABLE_PARTITION_KEY, type: 'S' }],
    ...(input.kmsKeyArn === undefined
      ? {}
      : { serverSideEncryption: { enabled: true, kmsKeyArn: input.kmsKeyArn } }),
    tags: { 'token-broker:parameterPrefix': input.parameterPrefix },
  };
}
