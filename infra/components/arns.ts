/** Where the broker is deployed: what every ARN and service endpoint it names is made of. */
export interface AwsLocation {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  /** The partition's DNS suffix: `amazonaws.com`, `amazonaws.com.cn`. */
  readonly dnsSuffix: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The ARN of an SSM parameter whose name starts with `/`.
 *
 * @example
 * parameterArn(location, '/tb/dev/idp'); // => 'arn:aws:ssm:eu-west-1:123456789012:parameter/tb/dev/idp'
 */
export function parameterArn(location: AwsLocation, name: string): string {
  return `arn:${location.partition}:ssm:${location.region}:${location.accountId}:parameter${name}`;
}

/**
 * The ARN of a DynamoDB table.
 *
 * @example
 * tableArn(location, 'tb-dev-state'); // => 'arn:aws:dynamodb:eu-west-1:123456789012:table/tb-dev-state'
 */
export function tableArn(location: AwsLocation, tableName: string): string {
  return `arn:${location.partition}:dynamodb:${location.region}:${location.accountId}:table/${tableName}`;
}

/**
 * The ARN, or ARN pattern, of an existing secret given as `secretId`. An ARN is used as it is; a
 * name matches exactly that secret: Secrets Manager appends `-` and six random characters, hence
 * `NAME-??????` (`?` matches one character, so `NAME-other-secret` does not match).
 *
 * @example
 * secretArnForId(location, 'shared/code42'); // => 'arn:aws:secretsmanager:…:secret:shared/code42-??????'
 */
export function secretArnForId(location: AwsLocation, secretId: string): string {
  if (secretId.startsWith('arn:')) return secretId;
  return `arn:${location.partition}:secretsmanager:${location.region}:${location.accountId}:secret:${secretId}-??????`;
}

/**
 * A service's regional endpoint name, as KMS reports it in the `kms:ViaService` condition key.
 *
 * @example
 * viaService(location, 'ssm'); // => 'ssm.eu-west-1.amazonaws.com'
 */
export function viaService(location: AwsLocation, service: KeyUsingService): string {
  return `${service}.${location.region}.${location.dnsSuffix}`;
}

/** The services that use the broker's customer-managed key on a principal's behalf. */
export type KeyUsingService = 'ssm' | 'secretsmanager' | 'dynamodb';
