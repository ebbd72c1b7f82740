/**
 * A quiet period that starts when it is created: rate-limits an action to once per `seconds`.
 */
export class Cooldown {
  /** When the period ends, in epoch milliseconds. */
  public readonly endsAtMs: number;

  /**
   * @param seconds - how long the period lasts from now
   */
  public constructor(seconds: number) {
    this.endsAtMs = Date.now() + seconds * 1000;
  }

  /** Whether the period is over, so the action may run again. */
  public isOver(): boolean {
    return Date.now() >= this.endsAtMs;
  }
}
