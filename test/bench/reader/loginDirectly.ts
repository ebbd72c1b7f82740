import type { ReaderBenchContext } from './ReaderBenchContext.ts';

/**
 * What a downstream function does without the broker: log in to Crisisworks itself
 * (docs/vendors.md) and build its headers.
 */
export async function loginDirectly(context: ReaderBenchContext): Promise<Record<string, string>> {
  const { crisisworks, account } = context;
  const response = await fetch(`${crisisworks.url}/api/json/auth`, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json;charset=UTF-8',
      'X-Site': account.site,
    },
    body: JSON.stringify({
      version: '1',
      uuid: 'https://bench.example.org',
      platform: 'Linux',
      name: 'token-broker bench',
      username: account.username,
      password: account.password,
    }),
  });
  const body = (await response.json()) as { status: number; token?: string };
  if (!response.ok || body.token === undefined) throw new Error(`login failed: ${response.status}`);
  return { Authorization: `Bearer ${body.token}`, 'X-Site': account.site };
}
