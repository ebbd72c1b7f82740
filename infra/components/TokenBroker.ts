import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { BrokerSettings, BrokerSettingsInput } from '../settings/BrokerSettings.ts';
import { resolveBrokerSettings } from '../settings/resolveBrokerSettings.ts';
import { type AwsLocation, parameterArn } from './arns.ts';
import { BrokerAlarms } from './BrokerAlarms.ts';
import { dashboardBody } from './dashboardBody.ts';
import { ExampleConsumer } from './ExampleConsumer.ts';
import { invokePolicy, readPolicy, statusPolicy } from './policies.ts';
import { Refresher } from './Refresher.ts';
import { RefreshSchedule } from './RefreshSchedule.ts';
import { RolePolicyLedger, withinRoleLimit } from './RolePolicyLedger.ts';
import { stateTableArgs } from './stateTableArgs.ts';
import { type FirstRefreshSummary, summariseFirstRefresh } from './summariseFirstRefresh.ts';
import { TokenInstance } from './TokenInstance.ts';

/** Arguments of a {@link TokenBroker}: the settings, by the names of the stack config keys. */
export type TokenBrokerArgs = BrokerSettingsInput;

/**
 * token-broker in one component: per instance a credentials secret and a token parameter; the
 * state table of login leases and refresh records; the scheduled refresher with least-privilege
 * roles, a dead-letter queue, alarms and a dashboard; and a first refresh that runs when
 * everything else exists, so `pulumi up` returns with the tokens published (or fails naming each
 * failed instance and the provider's error; deferred and pending ones are counted in
 * {@link TokenBroker.firstRefresh}).
 *
 * @example
 * const broker = new TokenBroker('tokens', { parameterPrefix: '/tb/dev', instances, credentials });
 * broker.grantRefresh(jobRole);
 * broker.grantRead(jobRole, ['cw-sandbox']);
 */
export class TokenBroker extends pulumi.ComponentResource {
  /**
   * The validated settings, defaults applied, without the credentials: they exist only as the
   * secret inputs of the secret versions, so exporting this property exposes none.
   */
  public readonly settings: Omit<BrokerSettings, 'credentials'>;
  /** Per instance: its secret and token parameter, keyed by instance name. */
  public readonly instances: Readonly<Record<string, TokenInstance>>;
  /** Token parameter names, keyed by instance name. */
  public readonly parameterNames: Readonly<Record<string, string>>;
  /** Credentials secret ARNs (or `NAME-??????` patterns for `secretId` names), keyed by instance name. */
  public readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Instances without credentials in the settings or a `secretId`: run `put-credentials` for them. */
  public readonly pendingCredentials: readonly string[];
  public readonly deadLetterQueue: aws.sqs.Queue;
  /** The state table (`config.stateTable`): each instance's login lease and refresh record. */
  public readonly stateTable: aws.dynamodb.Table;
  public readonly refresher: Refresher;
  public readonly schedule: RefreshSchedule;
  public readonly alarms: BrokerAlarms;
  public readonly dashboard: aws.cloudwatch.Dashboard;
  /** The first refresh; absent when no instance has credentials yet. */
  public readonly initialRefresh: aws.lambda.Invocation | undefined;
  /** How many instances the first refresh left in each outcome; absent without a first refresh. */
  public readonly firstRefresh: pulumi.Output<FirstRefreshSummary> | undefined;
  /** The example consumer, when `exampleConsumer` is on. */
  public readonly exampleConsumer: ExampleConsumer | undefined;
  readonly #name: string;
  readonly #location: pulumi.Output<AwsLocation>;
  readonly #rolePolicies = new RolePolicyLedger();

  /**
   * Validates the arguments: a pure function, also called by the constructor.
   *
   * @throws {BrokerSettingsError} naming each bad argument
   */
  public static validateArgs(args: TokenBrokerArgs): BrokerSettings {
    return resolveBrokerSettings(args);
  }

  public constructor(name: string, args: TokenBrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('token-broker:index:TokenBroker', name, {}, opts);
    const settings = TokenBroker.validateArgs(args);
    const { credentials, ...publicSettings } = settings;
    this.settings = publicSettings;
    this.#name = name;
    const invokeOptions = { parent: this };
    this.#location = pulumi
      .all([
        aws.getPartitionOutput({}, invokeOptions),
        aws.getRegionOutput({}, invokeOptions),
        aws.getCallerIdentityOutput({}, invokeOptions),
      ])
      .apply(([partition, region, identity]) => ({
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        region: region.region,
        accountId: identity.accountId,
      }));
    const { parameterPrefix, instances: configured } = settings.config;

    const instances = configured.map(
      (instance) =>
        new TokenInstance(
          `${name}-${instance.name}`,
          {
            instance,
            parameterPrefix,
            credentials: credentials[instance.name],
            kmsKeyArn: settings.kmsKeyArn,
            secretRecoveryDays: settings.secretRecoveryDays,
            location: this.#location,
          },
          { parent: this },
        ),
    );
    this.instances = Object.fromEntries(
      instances.map((instance) => [instance.instanceName, instance]),
    );
    this.parameterNames = Object.fromEntries(
      instances.map((instance) => [instance.instanceName, instance.parameterName]),
    );
    this.secretArns = Object.fromEntries(
      instances.map((instance) => [instance.instanceName, instance.secretArn]),
    );
    const ready = configured.filter(
      (instance) => instance.secretId !== undefined || credentials[instance.name] !== undefined,
    );
    this.pendingCredentials = configured
      .filter((instance) => !ready.includes(instance))
      .map((instance) => instance.name);

    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dead-letters`,
      { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true },
      { parent: this },
    );

    this.stateTable = new aws.dynamodb.Table(
      `${name}-state`,
      stateTableArgs({
        tableName: settings.config.stateTable,
        parameterPrefix,
        kmsKeyArn: settings.kmsKeyArn,
      }),
      { parent: this },
    );

    this.refresher = new Refresher(
      `${name}-refresher`,
      {
        settings,
        instances,
        deadLetterQueue: this.deadLetterQueue,
        stateTable: this.stateTable,
        location: this.#location,
      },
      { parent: this },
    );

    this.schedule = new RefreshSchedule(
      `${name}-schedule`,
      {
        scheduleSeconds: settings.scheduleSeconds,
        function: this.refresher.function,
        deadLetterQueue: this.deadLetterQueue,
        accountId: this.#location.accountId,
      },
      { parent: this },
    );

    const instanceNames = configured.map((instance) => instance.name);
    this.alarms = new BrokerAlarms(
      `${name}-alarms`,
      {
        function: this.refresher.function,
        deadLetterQueue: this.deadLetterQueue,
        scheduleSeconds: settings.scheduleSeconds,
        expiryAlarmSeconds: settings.expiryAlarmSeconds,
        ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
      },
      { parent: this },
    );

    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: pulumi.interpolate`${dashboardSlug(parameterPrefix)}-${this.#location.region}`,
        dashboardBody: pulumi
          .all([this.#location.region, this.refresher.function.name, this.deadLetterQueue.name])
          .apply(([region, functionName, queueName]) =>
            dashboardBody({
              region,
              functionName,
              queueName,
              instanceNames,
              periodSeconds: settings.scheduleSeconds,
              expiryAlarmSeconds: settings.expiryAlarmSeconds,
            }),
          ),
      },
      { parent: this },
    );

    if (settings.exampleConsumer) {
      const consumer = new ExampleConsumer(
        `${name}-example-consumer`,
        {
          parameterPrefix,
          defaultInstance: instanceNames[0] ?? '',
          refresherFunctionName: this.refresher.function.name,
          logRetentionDays: settings.logRetentionDays,
        },
        { parent: this },
      );
      // Fixed-size policies first: the read grant then fits itself beside them.
      this.#rolePolicies.record(consumer.role, consumer.logPolicyDocument);
      this.grantRefresh(consumer.role);
      this.grantRead(consumer.role);
      this.exampleConsumer = consumer;
    } else {
      this.exampleConsumer = undefined;
    }

    this.initialRefresh =
      ready.length === 0
        ? undefined
        : new aws.lambda.Invocation(
            `${name}-initial-refresh`,
            {
              functionName: this.refresher.function.name,
              input: JSON.stringify({ names: ready.map((instance) => instance.name), force: true }),
              triggers: {
                config: JSON.stringify(settings.config),
                kmsKeyArn: settings.kmsKeyArn ?? '',
                credentials: pulumi
                  .all(instances.map((instance) => instance.secretVersion?.versionId ?? ''))
                  .apply((versions) => versions.join(',')),
              },
            },
            {
              parent: this,
              dependsOn: [
                ...instances,
                this.stateTable,
                this.refresher,
                this.schedule,
                this.alarms,
                this.dashboard,
                ...(this.exampleConsumer === undefined ? [] : [this.exampleConsumer]),
              ],
            },
          );
    this.firstRefresh = this.initialRefresh?.result.apply(summariseFirstRefresh);

    this.registerOutputs({
      parameterNames: this.parameterNames,
      secretArns: this.secretArns,
      stateTableName: this.stateTable.name,
      functionName: this.refresher.function.name,
      scheduleName: this.schedule.schedule.name,
      dashboardName: this.dashboard.dashboardName,
      firstRefresh: this.firstRefresh,
    });
  }

  /**
   * Lets a downstream role read token parameters (`ssm:GetParameter` on exactly those, and
   * `kms:Decrypt` through SSM with the broker's key when there is one). IAM caps all of a role's
   * inline policies together at 10,240 characters: the grant counts the policies this broker
   * attached to the role before it (call {@link TokenBroker.grantRefresh} first), and when the exact
   * list does not fit beside them, an all-instances grant falls back to the stack's prefix
   * (`…:parameter{prefix}/*`). Inline policies attached to the role elsewhere are not seen.
   *
   * @param role - the downstream function's role
   * @param names - the instances it may read. Default: all.
   * @throws {Error} when a name is not a configured instance; at deployment, naming the role, when
   *   a list of named instances does not fit
   * @example
   * broker.grantRefresh(jobRole);
   * broker.grantRead(jobRole, ['cw-sandbox']);
   */
  public grantRead(role: aws.iam.Role, names?: readonly string[]): aws.iam.RolePolicy {
    const selected = (names ?? Object.keys(this.instances)).map((instanceName) => {
      const instance = this.instances[instanceName];
      if (instance === undefined) {
        throw new Error(`grantRead: no instance is named "${instanceName}"`);
      }
      return instance;
    });
    const suffix = names === undefined ? '' : `-${names.join('-')}`;
    const roleName = pulumi.resourceName(role);
    const policy = pulumi
      .all([
        pulumi.all(selected.map((instance) => instance.parameterArn)),
        this.#location,
        this.#rolePolicies.sizeOf(role),
      ])
      .apply(([arns, at, otherPoliciesSize]) => {
        const prefix = this.settings.config.parameterPrefix;
        const allInstances = names === undefined ? parameterArn(at, `${prefix}/*`) : undefined;
        return JSON.stringify(
          readPolicy({
            roleName,
            location: at,
            parameterArns: arns,
            kmsKeyArn: this.settings.kmsKeyArn,
            otherPoliciesSize,
            ...(allInstances === undefined ? {} : { allInstances }),
          }),
        );
      });
    return this.#attach(`${this.#name}-read-${roleName}${suffix}`, role, policy);
  }

  /**
   * Lets a downstream role ask for an on-demand refresh (`lambda:InvokeFunction` on the refresher,
   * with `{ "names": [...], "force": true }`), as the reader does after a 401.
   *
   * @throws {Error} at deployment, naming the role, when its inline policies would exceed IAM's limit
   * @example
   * broker.grantRefresh(jobRole);
   */
  public grantRefresh(role: aws.iam.Role): aws.iam.RolePolicy {
    const policy = this.refresher.function.arn.apply((arn) => JSON.stringify(invokePolicy(arn)));
    return this.#attach(`${this.#name}-refresh-${pulumi.resourceName(role)}`, role, policy);
  }

  /**
   * Lets an operator role run `token-broker status`: `ssm:GetParameters` on the stack's token
   * parameters, `dynamodb:BatchGetItem` on the state table, and `kms:Decrypt` through SSM and
   * DynamoDB with the broker's key when there is one.
   *
   * @throws {Error} at deployment, naming the role, when its inline policies would exceed IAM's limit
   * @example
   * broker.grantStatus(operatorRole);
   */
  public grantStatus(role: aws.iam.Role): aws.iam.RolePolicy {
    const policy = pulumi.all([this.#location, this.stateTable.arn]).apply(([at, tableArn]) =>
      JSON.stringify(
        statusPolicy({
          location: at,
          parameterPrefix: this.settings.config.parameterPrefix,
          stateTableArn: tableArn,
          kmsKeyArn: this.settings.kmsKeyArn,
        }),
      ),
    );
    return this.#attach(`${this.#name}-status-${pulumi.resourceName(role)}`, role, policy);
  }

  /**
   * Attaches an inline policy to the role, after checking that the role's inline policies the
   * broker knows of stay within IAM's limit, and records it for the grants that follow.
   */
  #attach(name: string, role: aws.iam.Role, document: pulumi.Output<string>): aws.iam.RolePolicy {
    const roleName = pulumi.resourceName(role);
    const checked = pulumi
      .all([document, this.#rolePolicies.sizeOf(role)])
      .apply(([policy, otherPoliciesSize]) =>
        withinRoleLimit(name, roleName, policy, otherPoliciesSize),
      );
    this.#rolePolicies.record(role, checked);
    return new aws.iam.RolePolicy(name, { role: role.name, policy: checked }, { parent: this });
  }
}

/** A dashboard-name-safe form of the parameter prefix: `/token-broker/dev` → `token-broker-dev`. */
function dashboardSlug(parameterPrefix: string): string {
  return parameterPrefix.slice(1).replace(/[^A-Za-z0-9_-]/g, '-');
}
