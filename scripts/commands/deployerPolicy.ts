import { parseArgs } from 'node:util';
import { deployerPolicy } from '../../infra/deployerPolicy.ts';
import { readConfigFile } from '../support/readConfigFile.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker deployer-policy --config FILE --account ID [--region REGION]
                                    [--kms-key-arn ARN] [--partition aws]

Prints (JSON) the least-privilege IAM policy of the identity that runs "pulumi up", "pulumi
refresh" and "pulumi destroy" for the stack FILE describes: every action the program's resources
need, on that stack's ARNs. Token parameters, secrets, the state table, the dashboard and the KMS
key are named exactly; the roles, functions, queues, topics, log groups, alarms and the schedule,
which Pulumi names with a random suffix, match "token-broker-*". Nothing is read from AWS.

Options:
  --config FILE         the broker configuration (pulumi stack output brokerConfig --json)
  --account ID          the 12-digit AWS account of the stack
  --region REGION       its region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --kms-key-arn ARN     the stack's token-broker:kmsKeyArn, when it sets one
  --partition NAME      aws (default), aws-cn or aws-us-gov

Example:
  token-broker deployer-policy --config broker.json --account 123456789012 --region eu-west-1 \\
    > deployer-policy.json
  aws iam create-policy --policy-name token-broker-dev-deployer \\
    --policy-document file://deployer-policy.json

Exit codes: 0 printed; 2 a usage mistake, including a missing or invalid --config file.
`;

/** `token-broker deployer-policy`: prints the deployer's least-privilege policy for a stack. */
export const deployerPolicyCommand: Command = {
  name: 'deployer-policy',
  summary: "print the least-privilege IAM policy of the identity that runs a stack's pulumi up",
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        account: { type: 'string' },
        region: { type: 'string' },
        'kms-key-arn': { type: 'string' },
        partition: { type: 'string', default: 'aws' },
      },
    });
    if (positionals.length > 0) throw new UsageError('takes no positional arguments');
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const accountId = values.account;
    if (accountId === undefined || !/^\d{12}$/.test(accountId)) {
      throw new UsageError('--account must be a 12-digit AWS account id');
    }
    const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      throw new UsageError('--region (or AWS_REGION) must be an AWS region such as eu-west-1');
    }
    if (!['aws', 'aws-cn', 'aws-us-gov'].includes(values.partition)) {
      throw new UsageError('--partition must be aws, aws-cn or aws-us-gov');
    }
    const kmsKeyArn = values['kms-key-arn'];
    if (
      kmsKeyArn !== undefined &&
      !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(kmsKeyArn)
    ) {
      throw new UsageError('--kms-key-arn must be the full ARN of a KMS key (not an alias)');
    }
    const config = await readConfigFile(values.config);
    const policy = deployerPolicy({
      config,
      location: {
        partition: values.partition,
        region,
        accountId,
        dnsSuffix: values.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
      },
      kmsKeyArn,
    });
    io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
    return 0;
  },
};
