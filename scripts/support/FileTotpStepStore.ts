import { accessSync, constants, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isRecord } from '../../lambdas/config/index.ts';
import type { TotpStepStore } from '../../lambdas/totp/index.ts';
import { LocalStateError } from './errors.ts';

/** The longest a remembered step matters: older entries are dropped when the file is written. */
const KEEP_STEPS = 4;

/**
 * The CLI's {@link TotpStepStore}: a small JSON file of `{seed digest: last step}` (digests only,
 * never seeds), so that two `token-broker token` runs within one 30 s step do not send the same
 * code, which the vendor would refuse as a replay. The file is
 * `$TOKEN_BROKER_STATE_DIR/totp-steps.json`, by default under `$XDG_STATE_HOME/token-broker` or
 * `~/.local/state/token-broker`. An unreadable file counts as empty.
 */
export class FileTotpStepStore implements TotpStepStore {
  readonly #path: string;

  public constructor(path: string = FileTotpStepStore.defaultPath(process.env)) {
    this.#path = path;
  }

  /** Where the file lives for an environment. */
  public static defaultPath(env: NodeJS.ProcessEnv): string {
    const folder =
      env.TOKEN_BROKER_STATE_DIR ??
      join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'token-broker');
    return join(folder, 'totp-steps.json');
  }

  /**
   * Creates the file's directory when needed and checks it is writable, so that a directory that
   * cannot be used is reported as such before any login, not as a provider failure.
   *
   * @throws {LocalStateError} naming the directory and the system error code
   */
  public ensureWritable(): void {
    const folder = dirname(this.#path);
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new LocalStateError(
        `cannot use the state directory ${folder} (${code}): set TOKEN_BROKER_STATE_DIR to a writable directory`,
        { cause: error },
      );
    }
  }

  public lastStep(key: string): number | undefined {
    const step = this.#read()[key];
    return typeof step === 'number' ? step : undefined;
  }

  public remember(key: string, step: number): void {
    const entries = Object.entries(this.#read()).filter(
      ([other, last]) => other !== key && typeof last === 'number' && last >= step - KEEP_STEPS,
    );
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    const temporary = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries([...entries, [key, step]])), {
      mode: 0o600,
    });
    renameSync(temporary, this.#path);
  }

  #read(): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(readFileSync(this.#path, 'utf8'));
      return isRecord(value) ? value : {};
    } catch {
      return {};
    }
  }
}
