import type { TotpStepStore } from './TotpStepStore.ts';

/** A {@link TotpStepStore} in memory: the default, one per guard. */
export class MemoryTotpStepStore implements TotpStepStore {
  readonly #steps = new Map<string, number>();

  public lastStep(key: string): number | undefined {
    return this.#steps.get(key);
  }

  public remember(key: string, step: number): void {
    this.#steps.set(key, step);
  }
}
