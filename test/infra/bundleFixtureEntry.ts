/* A small Lambda entry for the bundler test: an SDK client, zod, and a relative .ts import. */
import { SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';

const eventSchema = z.strictObject({ prefix: z.string(), name: z.string() });

export async function handler(event: unknown) {
  const { prefix, name } = eventSchema.parse(event);
  const ssm = new SSMClient({ region: 'us-east-1' });
  ssm.destroy();
  return { parameter: tokenParameterName(prefix, name), sdk: typeof ssm.send };
}

export function fail(): never {
  throw new Error('bundled failure');
}
