import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors.ts';

/** A token's budget after a consume, for clients that pace themselves (the REST dialects' X-RateLimit-* headers). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Milliseconds until the budget is whole again. */
  msBeforeReset: number;
}

export interface RunRateLimiter {
  /**
   * Counts one run for the token; throws RateLimitedError when its budget for the minute is spent.
   * Answers the budget left, or null when there is no limit.
   */
  consume(tokenId: string): Promise<RateLimitState | null>;
}

/**
 * Runs (runHook and dispatchTrigger share one budget, and so do the REST dialects' requests) per
 * API token per minute, in this process's memory. `0` or no limit turns it off.
 */
export function createRunRateLimiter(runsPerMinute = 0): RunRateLimiter {
  if (runsPerMinute <= 0) return { consume: async () => null };
  const limiter = new RateLimiterMemory({ keyPrefix: 'runs', points: runsPerMinute, duration: 60 });
  return {
    async consume(tokenId) {
      try {
        const state = await limiter.consume(tokenId);
        return { limit: runsPerMinute, remaining: state.remainingPoints, msBeforeReset: state.msBeforeNext };
      } catch (rejection) {
        // The limiter rejects with its state (not an Error) when the budget is spent.
        if (rejection instanceof RateLimiterRes) {
          throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), runsPerMinute);
        }
        throw rejection;
      }
    },
  };
}
