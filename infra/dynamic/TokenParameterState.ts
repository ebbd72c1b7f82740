import type { TokenParameterTier } from '../../lambdas/config/readers.ts';

/** Inputs of a token parameter: what `pulumi up` decides. Never a token value. */
export interface TokenParameterInputs {
  /** The full parameter name, `{parameterPrefix}/{name}`. */
  readonly name: string;
  /** AWS region of the parameter. */
  readonly region: string;
  /** KMS key for the SecureString; `''` for the account's `aws/ssm` key. */
  readonly kmsKeyId: string;
  /** Tags on the parameter. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The tier it is written with: `Advanced` for a token shared with other accounts, else
   * `Intelligent-Tiering`. Absent in the state of parameters created before sharing existed.
   */
  readonly requestedTier?: TokenParameterTier;
}

/** What the provider keeps in the state: the inputs plus metadata read back, never the value. */
export interface TokenParameterOutputs extends TokenParameterInputs {
  /** `SecureString`. */
  readonly type: string;
  /** The storage tier SSM chose (`Standard` or `Advanced`, under Intelligent-Tiering). */
  readonly tier: string;
  /** The key the current value is encrypted with, as SSM reports it. */
  readonly keyId: string;
}
