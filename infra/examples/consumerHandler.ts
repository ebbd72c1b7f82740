/*
 * The example consumer: a downstream Lambda that never sees a password. Deployed by the stack when
 * `token-broker:exampleConsumer` is true. In your own code, import from '@token-broker/reader'; this
 * file imports the same module by path because it ships inside the package.
 */
import { fetchWithToken, getToken } from '../../lambdas/reader/index.ts';

/** The instance read when the event names none (set by the stack to its first instance). */
const DEFAULT_INSTANCE_VARIABLE = 'EXAMPLE_INSTANCE';

/** `{}` reads the token's metadata; `{ "instance"?, "path" }` also calls the API with it. */
export interface ConsumerEvent {
  readonly instance?: string;
  /** A path on the instance's API, such as `/api/json/item/id/1`. */
  readonly path?: string;
}

/** What the example returns: never the token itself. */
export interface ConsumerResult {
  readonly instance: string;
  readonly tokenType: string;
  readonly expiresAt: string;
  /** The API's HTTP status, when a path was given. */
  readonly status?: number;
}

/**
 * Reads an instance's token with `getToken` (one cached SSM read) and, given a path, calls the API
 * with `fetchWithToken` (Authorization and the instance's extra headers added; one on-demand
 * refresh and retry after a 401).
 */
export async function handler(event: ConsumerEvent = {}): Promise<ConsumerResult> {
  const instance = event.instance ?? process.env[DEFAULT_INSTANCE_VARIABLE];
  if (instance === undefined || instance === '') {
    throw new Error(`name an instance in the event or set ${DEFAULT_INSTANCE_VARIABLE}`);
  }
  const envelope = await getToken(instance);
  const summary = { instance, tokenType: envelope.tokenType, expiresAt: envelope.expiresAt };
  if (event.path === undefined) return summary;
  const response = await fetchWithToken(instance, event.path);
  return { ...summary, status: response.status };
}
