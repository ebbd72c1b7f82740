import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { isSharedInstance, readersOf } from '../../lambdas/config/readers.ts';
import { refresherServiceName } from '../../lambdas/refresher/contract.ts';
import type { BrokerSettings, BrokerSettingsInput } from '../settings/BrokerSettings.ts';
import { resolveBrokerSettings } from '../settings/resolveBrokerSettings.ts';
import { type AwsLocation, parameterArn } from './arns.ts';
import { BrokerAlarms } from './BrokerAlarms.ts';
import { BrokerDashboard } from './BrokerDashboard.ts';
import { ExampleConsumer } from './ExampleConsumer.ts';
import { ParameterShare } from './ParameterShare.ts';
import { invokePolicy, type PolicyDocument, readPolicy, statusPolicy } from './policies.ts';
import { ReaderKey } from './ReaderKey.ts';
import { Refresher } from './Refresher.ts';
import { RefreshSchedule } from './RefreshSchedule.ts';
import { RolePolicyLedger, withinRoleLimit } from './RolePolicyLedger.ts';
import { crossAccountReadPolicy, readerKeyStatements, sharedTokens } from './readerPolicies.ts';
import { stateTableArgs } from './stateTableArgs.ts';
import { type FirstRefreshSummary, summariseFirstRefresh } from './summariseFirstRefresh.ts';
import { TokenInstance } from './TokenInstance.ts';

/** Arguments of a {@link TokenBroker}: the settings, by the names of the stack config keys. */
export type TokenBrokerArgs = BrokerSettingsInput;

/**
 * What {@link TokenBroker.grantRead} returns for a role in another account, where this program
 * cannot attach a policy: the policy to attach there, as a Pulumi policy document and as JSON.
 */
export interface CrossAccountReadGrant {
  /** The account the role is in. */
  readonly accountId: string;
  readonly policyDocument: pulumi.Output<PolicyDocument>;
  readonly policyJson: pulumi.Output<string>;
}

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
  /**
   * The ARNs of the token parameters shared with other accounts (`readerAccounts`,
   * `readerOrganizations`), keyed by instance name: what readers there read.
   */
  public readonly sharedParameterArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Per shared instance: its RAM resource share, keyed by instance name. */
  public readonly shares: Readonly<Record<string, ParameterShare>>;
  /** The key created for the shared tokens; absent with a configured `kmsKeyArn` or none shared. */
  public readonly readerKey: ReaderKey | undefined;
  /** The key the shared tokens are encrypted with (configured or created); absent when none is shared. */
  public readonly sharedTokenKeyArn: pulumi.Output<string> | undefined;
  /**
   * With a configured `kmsKeyArn` and shared instances: the statements to add to that key's
   * policy so the readers can decrypt their tokens (the stack does not own that policy).
   */
  public readonly readerKeyPolicyStatements: pulumi.Output<aws.iam.PolicyStatement[]> | undefined;
  /** The refresher's resource-policy statements for `allowCrossAccountRefresh`, keyed by account. */
  public readonly crossAccountRefresh: Readonly<Record<string, aws.lambda.Permission>>;
  readonly #name: string;
  readonly #location: pulumi.Output<AwsLocation>;
  readonly #rolePolicies = new RolePolicyLedger();
  /** The key created for the shared tokens, which local readers of them also need. */
  readonly #createdKeyArn: pulumi.Output<string> | undefined;

  /**
   * Validates the arguments: a pure function, also called by the constructor.
   *
   * @throws {BrokerSettingsError} naming each bad argument
   */
  public static validateArgs(args: TokenBrokerArgs): BrokerSettings {
    return resolveBrokerSettings(args);
  }

  /**
   * @param args - the arguments, validated here; or settings validated before
   *   ({@link TokenBroker.validateArgs}, `parseStackConfig`), taken as they are
   * @throws {BrokerSettingsError} naming each bad argument
   */
  public constructor(
    name: string,
    args: TokenBrokerArgs | BrokerSettings,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:TokenBroker', name, {}, opts);
    // Validated settings hold the configuration document; arguments hold its fields instead.
    const settings = 'config' in args ? args : TokenBroker.validateArgs(args);
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

    const shared = configured.filter(isSharedInstance);
    const tokens = this.#location.apply((at) => sharedTokens(configured, parameterPrefix, at));
    this.readerKey =
      shared.length === 0 || settings.kmsKeyArn !== undefined
        ? undefined
        : new ReaderKey(
            `${name}-reader-key`,
            { parameterPrefix, tokens, location: this.#location },
            { parent: this },
          );
    const createdKeyArn = this.readerKey?.key.arn;
    const configuredKeyArn =
      settings.kmsKeyArn === undefined ? undefined : pulumi.output(settings.kmsKeyArn);
    this.sharedTokenKeyArn = shared.length === 0 ? undefined : (createdKeyArn ?? configuredKeyArn);
    this.readerKeyPolicyStatements =
      shared.length === 0 || createdKeyArn !== undefined
        ? undefined
        : pulumi.all([this.#location, tokens]).apply(([at, list]) => readerKeyStatements(at, list));
    this.#createdKeyArn = createdKeyArn;

    const instances = configured.map(
      (instance) =>
        new TokenInstance(
          `${name}-${instance.name}`,
          {
            instance,
            parameterPrefix,
            credentials: credentials[instance.name],
            kmsKeyArn: settings.kmsKeyArn,
            ...(createdKeyArn !== undefined && isSharedInstance(instance)
              ? { tokenKmsKeyArn: createdKeyArn }
              : {}),
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
    this.sharedParameterArns = Object.fromEntries(
      instances
        .filter((instance) => shared.some((config) => config.name === instance.instanceName))
        .map((instance) => [instance.instanceName, instance.parameterArn]),
    );
    this.shares = Object.fromEntries(
      shared.map((config) => {
        const instance = this.instances[config.name] as TokenInstance;
        const share = new ParameterShare(
          `${name}-${config.name}-readers`,
          {
            parameterPrefix,
            instanceName: config.name,
            parameterArn: instance.parameterArn,
            readers: readersOf(config),
            partition: this.#location.partition,
          },
          // The parameter must exist, in the Advanced tier, before it can be shared.
          { parent: this, dependsOn: [instance.tokenParameter] },
        );
        return [config.name, share];
      }),
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
        ...(createdKeyArn === undefined ? {} : { sharedTokenKeyArn: createdKeyArn }),
      },
      { parent: this },
    );
    this.crossAccountRefresh = Object.fromEntries(
      settings.crossAccountRefreshAccounts.map((accountId) => [
        accountId,
        new aws.lambda.Permission(
          `${name}-refresh-from-${accountId}`,
          {
            action: 'lambda:InvokeFunction',
            function: this.refresher.function.name,
            principal: accountId,
            statementId: `TokenBrokerRefreshFrom${accountId}`,
          },
          { parent: this },
        ),
      ]),
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
        service: refresherServiceName(parameterPrefix),
        function: this.refresher.function,
        deadLetterQueue: this.deadLetterQueue,
        scheduleSeconds: settings.scheduleSeconds,
        expiryAlarmSeconds: settings.expiryAlarmSeconds,
        ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
      },
      { parent: this },
    );

    this.dashboard = new BrokerDashboard(
      `${name}-dashboard`,
      {
        parameterPrefix,
        region: this.#location.region,
        function: this.refresher.function,
        deadLetterQueue: this.deadLetterQueue,
        instanceNames,
        scheduleSeconds: settings.scheduleSeconds,
        expiryAlarmSeconds: settings.expiryAlarmSeconds,
      },
      { parent: this },
    ).dashboard;

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
                sharedTokenKey: createdKeyArn ?? '',
                credentials: pulumi
                  .all(instances.map((instance) => instance.secretVersion?.versionId ?? ''))
                  .apply((versions) => versions.join(',')),
              },
            },
            {
              parent: this,
              dependsOn: [
                ...instances,
                ...(this.readerKey === undefined ? [] : [this.readerKey]),
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
      sharedParameterArns: this.sharedParameterArns,
      sharedTokenKeyArn: this.sharedTokenKeyArn,
    });
  }

  /**
   * Lets a downstream role read token parameters (`ssm:GetParameter` on exactly those, and
   * `kms:Decrypt` through SSM with the broker's key, or the shared tokens' key, when there is
   * one). IAM caps all of a role's inline policies together at 10,240 characters: the grant counts
   * the policies this broker attached to the role before it (call {@link TokenBroker.grantRefresh}
   * first), and when the exact list does not fit beside them, an all-instances grant falls back to
   * the stack's prefix (`…:parameter{prefix}/*`). Inline policies attached to the role elsewhere
   * are not seen.
   *
   * For a role in another account, given by its ARN, nothing is attached here: the grant returns
   * the policy to attach to it there ({@link CrossAccountReadGrant}), on exactly the shared
   * parameters it may read by ARN and the key they are encrypted with. The instances must be
   * shared with its account (`readerAccounts`, or `readerOrganizations` with its organization).
   *
   * @param role - the downstream function's role, or the ARN of a role in a reader account
   * @param names - the instances it may read. Default: all (for another account: all shared
   *   with it).
   * @throws {Error} when a name is not a configured instance, or (another account) an instance is
   *   not shared with the role's account; at deployment, naming the role, when a list of named
   *   instances does not fit
   * @example
   * broker.grantRefresh(jobRole);
   * broker.grantRead(jobRole, ['cw-sandbox']);
   * const grant = broker.grantRead('arn:aws:iam::111122223333:role/job', ['cw-sandbox']);
   * export const policyForJob = grant.policyJson; // attach it to the role in 111122223333
   */
  public grantRead(role: aws.iam.Role, names?: readonly string[]): aws.iam.RolePolicy;
  public grantRead(roleArn: string, names?: readonly string[]): CrossAccountReadGrant;
  public grantRead(
    role: aws.iam.Role | string,
    names?: readonly string[],
  ): aws.iam.RolePolicy | CrossAccountReadGrant {
    if (typeof role === 'string') return this.#grantReadToAccount(role, names);
    const selected = (names ?? Object.keys(this.instances)).map((instanceName) =>
      this.#instanceNamed(instanceName),
    );
    const readsShared = selected.some((instance) => instance.instanceName in this.shares);
    const suffix = names === undefined ? '' : `-${names.join('-')}`;
    const roleName = pulumi.resourceName(role);
    const policy = pulumi
      .all([
        pulumi.all(selected.map((instance) => instance.parameterArn)),
        this.#location,
        this.#rolePolicies.sizeOf(role),
        readsShared ? this.#createdKeyArn : undefined,
      ])
      .apply(([arns, at, otherPoliciesSize, sharedTokenKeyArn]) => {
        const prefix = this.settings.config.parameterPrefix;
        const allInstances = names === undefined ? parameterArn(at, `${prefix}/*`) : undefined;
        return JSON.stringify(
          readPolicy({
            roleName,
            location: at,
            parameterArns: arns,
            kmsKeyArn: this.settings.kmsKeyArn,
            sharedTokenKeyArn,
            otherPoliciesSize,
            ...(allInstances === undefined ? {} : { allInstances }),
          }),
        );
      });
    return this.#attach(`${this.#name}-read-${roleName}${suffix}`, role, policy);
  }

  #grantReadToAccount(
    roleArn: string,
    names: readonly string[] | undefined,
  ): CrossAccountReadGrant {
    const accountId = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/.exec(roleArn)?.[1];
    if (accountId === undefined) {
      throw new Error(
        `grantRead: "${roleArn}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`,
      );
    }
    const readableBy = (instanceName: string) => {
      const { accounts, organizations } = readersOf(
        this.settings.config.instances.find((config) => config.name === instanceName) ?? {},
      );
      return accounts.includes(accountId) || organizations.length > 0;
    };
    const selected = (names ?? Object.keys(this.shares).filter(readableBy)).map((instanceName) => {
      const instance = this.#instanceNamed(instanceName);
      if (!readableBy(instanceName)) {
        throw new Error(
          `grantRead(${roleArn}): instance "${instanceName}" is not shared with account ${accountId}: add it to the instance's readerAccounts`,
        );
      }
      return instance;
    });
    const keyArn = this.sharedTokenKeyArn;
    if (selected.length === 0 || keyArn === undefined) {
      throw new Error(`grantRead(${roleArn}): no instance is shared with account ${accountId}`);
    }
    const policyDocument = pulumi
      .all([pulumi.all(selected.map((instance) => instance.parameterArn)), this.#location, keyArn])
      .apply(([parameterArns, at, key]) =>
        crossAccountReadPolicy({ location: at, parameterArns, keyArn: key }),
      );
    return {
      accountId,
      policyDocument,
      policyJson: policyDocument.apply((doc) => JSON.stringify(doc)),
    };
  }

  #instanceNamed(instanceName: string): TokenInstance {
    const instance = this.instances[instanceName];
    if (instance === undefined)
      throw new Error(`grantRead: no instance is named "${instanceName}"`);
    return instance;
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
    const policy = pulumi
      .all([this.#location, this.stateTable.arn, this.#createdKeyArn])
      .apply(([at, tableArn, sharedTokenKeyArn]) =>
        JSON.stringify(
          statusPolicy({
            location: at,
            parameterPrefix: this.settings.config.parameterPrefix,
            stateTableArn: tableArn,
            kmsKeyArn: this.settings.kmsKeyArn,
            sharedTokenKeyArn,
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
