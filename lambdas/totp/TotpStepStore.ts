/**
 * Where a {@link TotpGuard} remembers the last time step it handed out per seed. Keys are digests
 * of seeds, never seeds. The default keeps them in memory (one process, such as the refresher); the
 * CLI keeps them in a file so two runs in one step do not send the same code.
 */
export interface TotpStepStore {
  /** The last step handed out for a seed digest, if any. */
  lastStep(key: string): number | undefined;
  /** Records that a code of `step` was handed out for a seed digest. */
  remember(key: string, step: number): void;
}
