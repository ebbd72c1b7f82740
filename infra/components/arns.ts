/** Where the broker is deployed: what every ARN it builds is made of. */
export interface AwsLocation {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
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
