import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { TokenEnvelope } from '../../../lambdas/reader/contract/envelope.ts';
import { tokenParameterName } from '../../../lambdas/reader/contract/names.ts';

/** The parameter prefix the reader tests publish under. */
export const TEST_PREFIX = '/token-broker/test';

/**
 * A valid envelope for `name`, issued now and expiring in `lifetimeSeconds` (default 3600), with
 * a recognisable token so tests can look for it in logs and errors.
 */
export function makeEnvelope(
  name: string,
  overrides: Partial<Omit<TokenEnvelope, 'baseUrl'>> & {
    readonly baseUrl?: string | undefined;
  } = {},
  lifetimeSeconds = 3600,
): TokenEnvelope {
  const now = Date.now();
  const { baseUrl, ...rest } = overrides;
  return {
    version: 1,
    name,
    provider: 'crisisworks',
    tokenType: 'Bearer',
    token: `tok-${name}-${now}-SECRET`,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + lifetimeSeconds * 1000).toISOString(),
    refreshAt: new Date(now + lifetimeSeconds * 500).toISOString(),
    headers: { 'X-Site': 'sandbox' },
    ...rest,
    // `baseUrl: undefined` in the overrides: an envelope without one.
    ...(baseUrl === undefined && 'baseUrl' in overrides
      ? {}
      : { baseUrl: baseUrl ?? 'https://api.cw.crisisworks.com' }),
  };
}

/** Publishes an envelope (or any raw value) the way the refresher does: one SecureString put. */
export async function publish(
  ssm: SSMClient,
  name: string,
  value: TokenEnvelope | string,
  prefix = TEST_PREFIX,
): Promise<void> {
  await ssm.send(
    new PutParameterCommand({
      Name: tokenParameterName(prefix, name),
      Value: typeof value === 'string' ? value : JSON.stringify(value),
      Type: 'SecureString',
      Tier: 'Intelligent-Tiering',
      Overwrite: true,
    }),
  );
}

/**
 * Counts the commands a client sends (before retries), by command name, and keeps the parameter
 * `Name` each one asked for.
 */
export function countSends(client: SSMClient): {
  readonly count: (command?: string) => number;
  readonly names: (command: string) => string[];
} {
  const sent: { command: string; name: unknown }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Name?: unknown };
      sent.push({ command: context.commandName ?? 'unknown', name: input.Name });
      return next(args);
    },
    { step: 'initialize', name: 'countSends' },
  );
  const of = (command?: string) =>
    command === undefined ? sent : sent.filter((send) => send.command === command);
  return {
    count: (command) => of(command).length,
    names: (command) => of(command).map((send) => String(send.name)),
  };
}
