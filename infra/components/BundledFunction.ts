import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BUNDLE_ENVIRONMENT } from '../settings/refresherDeployment.ts';
import { BUNDLE_HANDLER, lambdaArchive } from './bundleLambda.ts';
import { formerParentAlias } from './formerParentAlias.ts';
import { assumeRolePolicy, logsPolicy } from './policies.ts';

/** The inline policy of a {@link BundledFunction}'s role. */
export interface BundledFunctionPolicy {
  /** The policy is named `{name}-{suffix}`, after the component. */
  readonly suffix: string;
  /**
   * The policy document (JSON) for the function's log group ARN: it lets the function write its
   * logs there (the statement of `logsPolicy`), and grants whatever else the function needs.
   */
  readonly document: (logGroupArn: pulumi.Output<string>) => pulumi.Output<string>;
}

/** Arguments of a {@link BundledFunction}: what its functions differ in. */
export interface BundledFunctionArgs {
  /** Absolute path of the handler's entry file, bundled by `lambdaArchive`. */
  readonly entry: string;
  /** Extra files at the archive's root, by name. Default: none. */
  readonly files?: Readonly<Record<string, string>>;
  readonly description: string;
  readonly roleDescription: string;
  readonly memorySize: number;
  readonly timeout: number;
  /** Default: unreserved. */
  readonly reservedConcurrentExecutions?: number | undefined;
  /** The function's environment; {@link BUNDLE_ENVIRONMENT} is set over it. */
  readonly variables: Readonly<Record<string, pulumi.Input<string>>>;
  readonly logRetentionDays: number;
  /** Default: `{name}-logs`, `logsPolicy`: writing to its own log group, nothing else. */
  readonly policy?: BundledFunctionPolicy;
}

/**
 * A Lambda function of an esbuild bundle (`lambdaArchive`, Node.js 24, arm64, source-mapped stack
 * traces), with its own role that only Lambda may assume, that role's one inline policy and a log
 * group with retention. Its resources keep the URNs they had when the refresher and the example
 * consumer created them themselves, as children of the component's parent.
 *
 * @example
 * const fn = new BundledFunction('tb-example', { entry: packageFile('infra/examples/consumerHandler.ts'), description, roleDescription, memorySize: 128, timeout: 30, variables, logRetentionDays: 30 }, { parent: this });
 */
export class BundledFunction extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** The role's inline policy document, for counting the role's policies against IAM's limit. */
  public readonly policyDocument: pulumi.Output<string>;
  public readonly policy: aws.iam.RolePolicy;
  public readonly function: aws.lambda.Function;

  public constructor(
    name: string,
    args: BundledFunctionArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('token-broker:index:BundledFunction', name, {}, opts);
    const child = { parent: this, aliases: [formerParentAlias(opts)] };

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: args.roleDescription,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
      },
      child,
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays },
      child,
    );
    const { suffix, document } = args.policy ?? {
      suffix: 'logs',
      document: (logGroupArn) => logGroupArn.apply((arn) => JSON.stringify(logsPolicy(arn))),
    };
    this.policyDocument = document(this.logGroup.arn);
    this.policy = new aws.iam.RolePolicy(
      `${name}-${suffix}`,
      { role: this.role.name, policy: this.policyDocument },
      child,
    );
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: args.description,
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ['arm64'],
        handler: BUNDLE_HANDLER,
        code: lambdaArchive(args.entry, args.files),
        role: this.role.arn,
        memorySize: args.memorySize,
        timeout: args.timeout,
        reservedConcurrentExecutions: args.reservedConcurrentExecutions,
        environment: { variables: { ...args.variables, ...BUNDLE_ENVIRONMENT } },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      },
      { ...child, dependsOn: [this.policy] },
    );

    this.registerOutputs({
      functionName: this.function.name,
      functionArn: this.function.arn,
      roleArn: this.role.arn,
      logGroupName: this.logGroup.name,
    });
  }
}
