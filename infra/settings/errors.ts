/**
 * The broker's deployment settings are not valid. The message names each bad key (as a stack
 * config key, such as `token-broker:scheduleRate`, when they came from the stack config) and never
 * contains a credential value.
 */
export class BrokerSettingsError extends Error {
  public override readonly name = 'BrokerSettingsError';
  /** The keys that are wrong, for callers that want to point at them. */
  public readonly keys: readonly string[];

  public constructor(
    problems: readonly { key: string; message: string }[],
    options?: ErrorOptions,
  ) {
    super(
      `invalid token-broker settings: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`,
      options,
    );
    this.keys = problems.map((problem) => problem.key);
  }
}
