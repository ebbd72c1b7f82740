import type { BrokerConfig, Credentials, InstanceConfig } from '../../lambdas/config/index.ts';
import { loginInstance } from '../../lambdas/providers/index.ts';
import type { TokenEnvelope } from '../../lambdas/reader/contract/index.ts';
import { TotpGuard } from '../../lambdas/totp/index.ts';
import type { CommandIo } from '../commands/Command.ts';
import { FileTotpStepStore } from './FileTotpStepStore.ts';
import { LoginProgress } from './LoginProgress.ts';
import { releaseSharedTotpLease, takeSharedTotpLease } from './sharedTotpLease.ts';

/**
 * Logs in to one instance from the CLI (`token`, `put-credentials --check`) as safely as the
 * refresher does: TOTP steps remembered in the local step file and, when AWS is reachable, in the
 * instance's lease in the state table (so a CLI login and a refresh never send the same code);
 * progress on stderr while it waits. A refresh token the server rotates is handed to
 * `onRotated` even when the login fails afterwards, since the old one no longer works.
 *
 * @throws {LocalStateError} when the state directory cannot be used, before any login
 * @throws {ProviderError} when the login fails
 * @example
 * const envelope = await loginLocally(config, instance, credentials, io, { onRotated: save });
 */
export async function loginLocally(
  config: BrokerConfig,
  instance: InstanceConfig,
  credentials: Credentials,
  io: CommandIo,
  options: { readonly onRotated?: (credentials: Credentials) => Promise<void> } = {},
): Promise<TokenEnvelope> {
  const { name } = instance;
  const steps = new FileTotpStepStore(FileTotpStepStore.defaultPath(io.env));
  steps.ensureWritable();
  const progress = new LoginProgress(name, io.stderr);
  const totpGuard = new TotpGuard({ steps, sleep: progress.totpSleep });
  const shared = await takeSharedTotpLease(
    config.stateTable,
    name,
    credentials,
    progress.totpSleep,
  );
  if (shared.kind === 'unshared' && shared.reason !== undefined) {
    io.stderr.write(
      `token-broker: instance "${name}": state table ${config.stateTable} not reachable (${shared.reason}); the TOTP step is remembered on this machine only\n`,
    );
  }
  let rotated: Credentials | undefined;
  const login = loginInstance(instance, credentials, {
    totpGuard,
    sleep: progress.retrySleep,
    onCredentialsRotated: (next) => {
      rotated = next;
    },
  });
  return progress.track(login).finally(async () => {
    await releaseSharedTotpLease(shared, credentials);
    if (rotated !== undefined) await options.onRotated?.(rotated);
  });
}
