import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { BrokerSettings, BrokerSettingsInput } from '../settings/BrokerSettings.ts';
import { resolveBrokerSettings } from '../settings/resolveBrokerSettings.ts';
import { type AwsLocation, parameterArn } from './arns.ts';
import { BrokerAlarms } from './BrokerAlarms.ts';
import { dashboardBody } from './dashboardBody.ts';
import { ExampleConsumer } from './ExampleConsumer.ts';
import { invokePolicy, readPolicy } from './policies.ts';
import { Refresher } from './Refresher.ts';
import { RefreshSchedule } from './RefreshSchedule.ts';
import { TokenInstance } from './TokenInstance.ts';

/** Arguments of a {@link TokenBroker}: the settings, by the names of the stack config keys. */
export type TokenBrokerArgs = BrokerSettingsInput;

/**
 * token-broker in one component: per instance a credentials secret and a token parameter; the
 * scheduled refresher with least-privilege roles, a dead-letter queue, alarms and a dashboard;
 * and a first refresh that runs when everything else exists, so `pulumi up` returns with every
 * token published (or fails naming the instance and the provider's error).
 *
 * @example
 * const broker = new TokenBroker('tokens', { parameterPrefix: '/tb/dev', instances, credentials });
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
  public readonly refresher: Refresher;
  public readonly schedule: RefreshSchedule;
  public readonly alarms: BrokerAlarms;
  public readonly dashboard: aws.cloudwatch.Dashboard;
  /** The first refresh; absent when no instance has credentials yet. */
  public readonly initialRefresh: aws.lambda.Invocation | undefined;
  /** The example consumer, when `exampleConsumer` is on. */
  public readonly exampleConsumer: ExampleConsumer | undefined;
  readonly #name: string;
  readonly #location: pulumi.Output<AwsLocation>;

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

    this.refresher = new Refresher(
      `${name}-refresher`,
      { settings, instances, deadLetterQueue: this.deadLetterQueue, location: this.#location },
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
        instanceNames,
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
      this.grantRead(consumer.role);
      this.grantRefresh(consumer.role);
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
                this.refresher,
                this.schedule,
                this.alarms,
                this.dashboard,
                ...(this.exampleConsumer === undefined ? [] : [this.exampleConsumer]),
              ],
            },
          );

    this.registerOutputs({
      parameterNames: this.parameterNames,
      secretArns: this.secretArns,
      functionName: this.refresher.function.name,
      scheduleName: this.schedule.schedule.name,
      dashboardName: this.dashboard.dashboardName,
    });
  }

  /**
   * Lets a downstream role read token parameters (`ssm:GetParameter` on exactly those, and
   * `kms:Decrypt` on the broker's key when there is one).
   *
   * @param role - the downstream function's role
   * @param names - the instances it may read. Default: all.
   * @throws {Error} when a name is not a configured instance
   * @example
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
    return new aws.iam.RolePolicy(
      `${this.#name}-read-${pulumi.resourceName(role)}${suffix}`,
      {
        role: role.name,
        policy: pulumi
          .all([pulumi.all(selected.map((instance) => instance.parameterArn)), this.#location])
          .apply(([arns, at]) => {
            const prefix = this.settings.config.parameterPrefix;
            const allInstances = names === undefined ? parameterArn(at, `${prefix}/*`) : undefined;
            return JSON.stringify(readPolicy(arns, this.settings.kmsKeyArn, allInstances));
          }),
      },
      { parent: this },
    );
  }

  /**
   * Lets a downstream role ask for an on-demand refresh (`lambda:InvokeFunction` on the refresher,
   * with `{ "names": [...], "force": true }`), as the reader does after a 401.
   *
   * @example
   * broker.grantRefresh(jobRole);
   */
  public grantRefresh(role: aws.iam.Role): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
      `${this.#name}-refresh-${pulumi.resourceName(role)}`,
      {
        role: role.name,
        policy: this.refresher.function.arn.apply((arn) => JSON.stringify(invokePolicy(arn))),
      },
      { parent: this },
    );
  }
}

/** A dashboard-name-safe form of the parameter prefix: `/token-broker/dev` → `token-broker-dev`. */
function dashboardSlug(parameterPrefix: string): string {
  return parameterPrefix.slice(1).replace(/[^A-Za-z0-9_-]/g, '-');
}
