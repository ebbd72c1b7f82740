import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BrokerConfig } from '../config/index.ts';
import { lockParameterName } from '../envelope/index.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { type LastResult, parseRefreshRecord } from './RefreshRecord.ts';
import { readParameterBatches } from './readParameterBatches.ts';

/** What the refresher recorded for one instance. */
export interface RefreshState {
  /** Its last actual attempt (`refreshed` or `failed`), when one was recorded. */
  readonly lastResult?: LastResult;
  /** Until when no run may log in (a login in progress, or the TOTP step of the last one), ISO 8601. */
  readonly leaseUntil?: string;
}

/**
 * Reads every configured instance's refresh record (its lock parameter; GetParameters, ten names
 * a call). An instance without a record, or whose record is not readable, gets an empty state.
 *
 * @param options.ssm - default: the refresher's SSM client (adaptive retries)
 * @returns per instance name, in configuration order
 * @throws {StoreAccessError} when SSM refuses or fails to read a record
 *
 * @example
 * const states = await readRefreshRecords(config);
 * console.log(states.get('idp')?.lastResult?.outcome);
 */
export async function readRefreshRecords(
  config: BrokerConfig,
  options: { readonly ssm?: SSMClient } = {},
): Promise<Map<string, RefreshState>> {
  const ssm = options.ssm ?? createRefresherClients().ssm;
  const names = config.instances.map((instance) =>
    lockParameterName(config.parameterPrefix, instance.name),
  );
  const read = await readParameterBatches(ssm, names, { withDecryption: false });
  const states = new Map<string, RefreshState>();
  config.instances.forEach((instance, index) => {
    const name = names[index] ?? '';
    const parameter = read.get(name);
    if (parameter?.ok === false) {
      const detail = `cannot read refresh record ${name}: ${describeError(parameter.error)}`;
      throw new StoreAccessError(instance.name, detail, { cause: parameter.error });
    }
    if (parameter?.value === undefined) {
      states.set(instance.name, {});
      return;
    }
    const { lastResult, leaseUntil } = parseRefreshRecord(parameter.value);
    states.set(instance.name, {
      ...(lastResult === undefined ? {} : { lastResult }),
      ...(leaseUntil > 0 ? { leaseUntil: new Date(leaseUntil).toISOString() } : {}),
    });
  });
  return states;
}
