/**
 * The event a reader sends when it invokes the refresher after the API refused its token, and the
 * refresher accepts on demand. The refresher's schedule sends an empty object.
 */
export interface RefreshEvent {
  /** Only these instances (default: all). */
  readonly names?: readonly string[];
  /** Log in even when the stored token is still fresh. */
  readonly force?: boolean;
  /**
   * A reader's request after the API refused its token: forced, but at most one such login per
   * instance per on-demand cooldown (30 s), across every reader and container; the others are told
   * when it was last refreshed.
   */
  readonly onDemand?: boolean;
}
