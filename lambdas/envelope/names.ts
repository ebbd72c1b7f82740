/** The SSM parameter holding an instance's token envelope. */
export function tokenParameterName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}

/**
 * The SSM parameter holding an instance's refresh record: the refresher's lease on its login and
 * its last result.
 */
export function lockParameterName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/.locks/${name}`;
}

/** The default Secrets Manager secret holding an instance's credentials. */
export function defaultSecretName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}
