import type { BrokerConfig } from '../lambdas/config/index.ts';
import { defaultSecretName, tokenParameterName } from '../lambdas/reader/contract/names.ts';
import { type AwsLocation, parameterArn } from './components/arns.ts';
import type { PolicyDocument } from './components/policies.ts';
import { STACK_CONFIG_NAMESPACE } from './settings/parseStackConfig.ts';

/** IAM's limit on a customer-managed policy, in characters (white space aside). */
export const MANAGED_POLICY_LIMIT = 6_144;

/** What the deployer's policy is built for: one stack of the token-broker program. */
export interface DeployerPolicyInput {
  /** The stack's broker configuration (`pulumi stack output brokerConfig`). */
  readonly config: BrokerConfig;
  readonly location: AwsLocation;
  /** The stack's `token-broker:kmsKeyArn`, when it sets one. */
  readonly kmsKeyArn?: string | undefined;
  /**
   * The start of the names Pulumi gives the stack's IAM roles, functions, queues, topics, log
   * groups, alarms and schedules (the TokenBroker component's name, then `-` and a random suffix).
   * Default `token-broker`, the name the stack program uses.
   */
  readonly resourceNamePrefix?: string;
}

/** The ARNs of one stack that the deployer's statements are scoped to. */
export interface DeployerScope {
  readonly arn: (service: string, resource: string) => string;
  /** The auto-named resources' names, such as `token-broker-*`. */
  readonly named: string;
  /** The stack's IAM roles, `arn:aws:iam::ACCOUNT:role/{named}`. */
  readonly roles: string;
  readonly tokenParameters: readonly string[];
  readonly ownSecrets: readonly string[];
  readonly dashboard: string;
  readonly stateTable: string;
  readonly kmsKeyArn: string | undefined;
}

/** One statement of the deployer's policy, before its ARNs are known. */
export interface DeployerStatement {
  readonly Sid: string;
  readonly Action: readonly string[];
  readonly Resource: (scope: DeployerScope) => readonly string[];
  readonly Condition?: Record<string, Record<string, readonly string[]>>;
}

const kms: DeployerStatement = {
  Sid: 'UseTheStackKey',
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
  Resource: (scope) => (scope.kmsKeyArn === undefined ? [] : [scope.kmsKeyArn]),
};

const passRoles: DeployerStatement = {
  Sid: 'PassTheStackRoles',
  Action: ['iam:PassRole'],
  Resource: (scope) => [scope.roles],
  Condition: {
    StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'scheduler.amazonaws.com'] },
  },
};

/**
 * What `pulumi up`, `pulumi refresh` and `pulumi destroy` call for each resource type the program
 * creates, and on which of the stack's ARNs. Extend it with every new resource type: a test runs
 * the program under mocks and fails on a type missing here. Component resources
 * (`token-broker:index:*`) make no AWS calls.
 */
export const deployerStatementsByType: Readonly<Record<string, readonly DeployerStatement[]>> = {
  'aws:iam/role:Role': [
    {
      Sid: 'ManageTheStackRoles',
      Action: [
        'iam:CreateRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
      ],
      Resource: (scope) => [scope.roles],
    },
    passRoles,
  ],
  'aws:iam/rolePolicy:RolePolicy': [
    {
      Sid: 'ManageTheStackRolePolicies',
      Action: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
      Resource: (scope) => [scope.roles],
    },
  ],
  'aws:secretsmanager/secret:Secret': [
    {
      Sid: 'ManageTheStackSecrets',
      Action: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:UpdateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
      ],
      Resource: (scope) => scope.ownSecrets,
    },
    kms,
  ],
  'aws:secretsmanager/secretVersion:SecretVersion': [
    {
      Sid: 'WriteTheStackSecretValues',
      Action: [
        'secretsmanager:PutSecretValue',
        'secretsmanager:GetSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      Resource: (scope) => scope.ownSecrets,
    },
    kms,
  ],
  'pulumi-nodejs:dynamic/token-broker:TokenParameter': [
    {
      Sid: 'ManageTheStackTokenParameters',
      Action: [
        'ssm:PutParameter',
        'ssm:DeleteParameter',
        'ssm:ListTagsForResource',
        'ssm:AddTagsToResource',
        'ssm:RemoveTagsFromResource',
      ],
      Resource: (scope) => [...scope.tokenParameters],
    },
    {
      // DescribeParameters has no resource-level permissions: IAM accepts only "*".
      Sid: 'DescribeParameters',
      Action: ['ssm:DescribeParameters'],
      Resource: () => ['*'],
    },
    kms,
  ],
  'aws:lambda/function:Function': [
    {
      Sid: 'ManageTheStackFunctions',
      Action: [
        'lambda:CreateFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetFunctionConcurrency',
        'lambda:ListVersionsByFunction',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:PutFunctionConcurrency',
        'lambda:DeleteFunctionConcurrency',
        'lambda:DeleteFunction',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:ListTags',
      ],
      Resource: (scope) => [scope.arn('lambda', `function:${scope.named}`)],
    },
    passRoles,
  ],
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': [
    {
      Sid: 'ManageTheStackInvokeConfigs',
      Action: [
        'lambda:PutFunctionEventInvokeConfig',
        'lambda:GetFunctionEventInvokeConfig',
        'lambda:UpdateFunctionEventInvokeConfig',
        'lambda:DeleteFunctionEventInvokeConfig',
      ],
      Resource: (scope) => [scope.arn('lambda', `function:${scope.named}`)],
    },
  ],
  'aws:lambda/invocation:Invocation': [
    {
      Sid: 'RunTheFirstRefresh',
      Action: ['lambda:InvokeFunction'],
      Resource: (scope) => [scope.arn('lambda', `function:${scope.named}`)],
    },
  ],
  'aws:cloudwatch/logGroup:LogGroup': [
    {
      Sid: 'ManageTheStackLogGroups',
      Action: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:ListTagsForResource',
      ],
      Resource: (scope) => [scope.arn('logs', `log-group:${scope.named}`)],
    },
    {
      // DescribeLogGroups is authorised on the account's log groups as a whole.
      Sid: 'DescribeLogGroups',
      Action: ['logs:DescribeLogGroups'],
      Resource: (scope) => [scope.arn('logs', 'log-group:*')],
    },
  ],
  'aws:sqs/queue:Queue': [
    {
      Sid: 'ManageTheStackQueues',
      Action: [
        'sqs:CreateQueue',
        'sqs:GetQueueAttributes',
        'sqs:SetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:DeleteQueue',
        'sqs:TagQueue',
        'sqs:UntagQueue',
        'sqs:ListQueueTags',
      ],
      Resource: (scope) => [scope.arn('sqs', scope.named)],
    },
  ],
  'aws:sns/topic:Topic': [
    {
      Sid: 'ManageTheStackTopics',
      Action: [
        'sns:CreateTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:DeleteTopic',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:ListTagsForResource',
      ],
      Resource: (scope) => [scope.arn('sns', scope.named)],
    },
  ],
  'aws:sns/topicSubscription:TopicSubscription': [
    {
      Sid: 'ManageTheStackSubscriptions',
      Action: [
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes',
        'sns:SetSubscriptionAttributes',
        'sns:ListSubscriptionsByTopic',
      ],
      Resource: (scope) => [scope.arn('sns', scope.named)],
    },
  ],
  'aws:cloudwatch/metricAlarm:MetricAlarm': [
    {
      Sid: 'ManageTheStackAlarms',
      Action: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'cloudwatch:ListTagsForResource',
      ],
      Resource: (scope) => [scope.arn('cloudwatch', `alarm:${scope.named}`)],
    },
  ],
  'aws:cloudwatch/dashboard:Dashboard': [
    {
      Sid: 'ManageTheStackDashboard',
      Action: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      Resource: (scope) => [scope.dashboard],
    },
  ],
  'aws:scheduler/schedule:Schedule': [
    {
      Sid: 'ManageTheStackSchedule',
      Action: [
        'scheduler:CreateSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
      ],
      Resource: (scope) => [scope.arn('scheduler', `schedule/default/${scope.named}`)],
    },
    passRoles,
  ],
  'aws:dynamodb/table:Table': [
    {
      Sid: 'ManageTheStackStateTable',
      Action: [
        'dynamodb:CreateTable',
        'dynamodb:DescribeTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:UpdateTimeToLive',
        'dynamodb:ListTagsOfResource',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
      ],
      Resource: (scope) => [scope.stateTable],
    },
  ],
};

/** Whether a resource type is one of the program's own components, which call no AWS API. */
export function isComponentType(type: string): boolean {
  return type.startsWith(`${STACK_CONFIG_NAMESPACE}:index:`);
}

function buildScope(input: DeployerPolicyInput, exact: boolean): DeployerScope {
  const { config, location } = input;
  const { partition, region, accountId } = location;
  const { parameterPrefix } = config;
  const own = config.instances.filter((instance) => instance.secretId === undefined);
  const arn = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  const named = `${input.resourceNamePrefix ?? STACK_CONFIG_NAMESPACE}-*`;
  return {
    arn,
    named,
    roles: `arn:${partition}:iam::${accountId}:role/${named}`,
    tokenParameters: exact
      ? config.instances.map((i) =>
          parameterArn(location, tokenParameterName(parameterPrefix, i.name)),
        )
      : [parameterArn(location, `${parameterPrefix}/*`)],
    ownSecrets: exact
      ? own.map((i) =>
          arn('secretsmanager', `secret:${defaultSecretName(parameterPrefix, i.name)}-??????`),
        )
      : [arn('secretsmanager', `secret:${parameterPrefix}/*`)],
    // The dashboard TokenBroker names after the prefix and the region; dashboards are global.
    dashboard: `arn:${partition}:cloudwatch::${accountId}:dashboard/${parameterPrefix.slice(1).replace(/[^A-Za-z0-9_-]/g, '-')}-${region}`,
    stateTable: arn('dynamodb', `table/${config.stateTable}`),
    kmsKeyArn: input.kmsKeyArn,
  };
}

/**
 * The statements the types need, each action once per resource set: statements on the same
 * resources (and condition) are merged, which keeps the document within IAM's size limits.
 */
function statementsFor(types: Iterable<string>, scope: DeployerScope): PolicyDocument {
  const merged = new Map<
    string,
    { Sid: string; Action: Set<string>; Resource: readonly string[]; Condition?: object }
  >();
  for (const type of types) {
    for (const statement of deployerStatementsByType[type] ?? []) {
      const resources = [...new Set(statement.Resource(scope))];
      if (resources.length === 0) continue;
      const key = JSON.stringify([resources, statement.Condition ?? null]);
      const entry = merged.get(key) ?? {
        Sid: statement.Sid,
        Action: new Set<string>(),
        Resource: resources,
        ...(statement.Condition === undefined ? {} : { Condition: statement.Condition }),
      };
      for (const action of statement.Action) entry.Action.add(action);
      merged.set(key, entry);
    }
  }
  return {
    Version: '2012-10-17',
    Statement: [...merged.values()].map(({ Sid, Action, Resource, Condition }) => ({
      Sid,
      Effect: 'Allow',
      Action: [...Action],
      Resource: [...Resource],
      ...(Condition === undefined ? {} : { Condition }),
    })) as PolicyDocument['Statement'],
  };
}

/**
 * The least-privilege IAM policy of the identity that runs `pulumi up`, `pulumi refresh` and
 * `pulumi destroy` for one stack: every action {@link deployerStatementsByType} lists, on that
 * stack's ARNs. Parameters, secrets, the state table, the dashboard and the KMS key are exact;
 * auto-named resources (roles, functions, queues, topics, log groups, alarms, the schedule) match
 * `{resourceNamePrefix}-*`. A fleet whose exact policy would exceed IAM's managed-policy size gets
 * its parameters and secrets by the stack's own prefix instead.
 *
 * @example
 * const policy = deployerPolicy({ config, location: { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' } });
 * console.log(JSON.stringify(policy, null, 2));
 */
export function deployerPolicy(input: DeployerPolicyInput): PolicyDocument {
  const types = Object.keys(deployerStatementsByType);
  const exact = statementsFor(types, buildScope(input, true));
  if (JSON.stringify(exact).length <= MANAGED_POLICY_LIMIT) return exact;
  return statementsFor(types, buildScope(input, false));
}
