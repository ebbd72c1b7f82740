/** The SSM parameter holding an instance's token envelope. */
export function tokenParameterName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}

/** The SSM parameter the refresher uses as a short lease on an instance's login. */
export function lockParameterName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/.locks/${name}`;
}

/** The default Secrets Manager secret holding an instance's credentials. */
export function defaultSecretName(parameterPrefix: string, name: string): string {
  return `${parameterPrefix}/${name}`;
}
