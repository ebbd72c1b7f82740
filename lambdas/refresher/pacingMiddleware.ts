import type { FinalizeRequestMiddleware, Pluggable } from '@smithy/types';
import type { TokenBucket } from './TokenBucket.ts';

/** The bucket each paced command of one client waits for, by command name (`PutParameterCommand`). */
export type PacedCommands = Readonly<Partial<Record<string, TokenBucket>>>;

/** The name of the pacing middleware in a client's middleware stack. */
export const PACING_MIDDLEWARE = 'pacingMiddleware';

/** Where the SDK keeps the per-call context: the caller's `abortSignal` among others. */
const SMITHY_CONTEXT = '__smithy_context';

/**
 * An SDK v3 plugin that makes every attempt of a paced command wait for its bucket; commands not
 * in `commands` pass at once. The middleware sits in the `finalizeRequest` step right after the
 * retry middleware and before signing, so each retry waits for a token as the first attempt did
 * and is signed when it is sent. The call's `abortSignal` also aborts the wait.
 *
 * @example
 * const put = new TokenBucket({ ratePerSecond: 2, burst: 2 });
 * ssm.middlewareStack.use(pacingPlugin({ PutParameterCommand: put }));
 */
export function pacingPlugin<Input extends object, Output extends object>(
  commands: PacedCommands,
): Pluggable<Input, Output> {
  const middleware: FinalizeRequestMiddleware<Input, Output> = (next, context) => async (args) => {
    const bucket = commands[context.commandName ?? ''];
    if (bucket !== undefined) {
      const signal: unknown = (context[SMITHY_CONTEXT] as { abortSignal?: unknown } | undefined)
        ?.abortSignal;
      await bucket.acquire(signal instanceof AbortSignal ? signal : undefined);
    }
    return next(args);
  };
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, {
        name: PACING_MIDDLEWARE,
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        override: true,
      });
    },
  };
}
