import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors.ts';

export interface RunRateLimiter {
  /** Counts one run for the token; throws RateLimitedError when its budget for the minute is spent. */
  consume(tokenId: string): Promise<void>;
}

/**
 * Runs (runHook and dispatchTrigger share one budget) per API token per minute, in this
 * process's memory. `0` or no limit turns it off.
 */
export function createRunRateLimiter(runsPerMinute = 0): RunRateLimiter {
  if (runsPerMinute <= 0) return { consume: async () => {} };
  const limiter = new RateLimiterMemory({ keyPrefix: 'runs', points: runsPerMinute, duration: 60 });
  return {
    async consume(tokenId) {
      try {
        await limiter.consume(tokenId);
      } catch (rejection) {
        // The limiter rejects with its state (not an Error) when the budget is spent.
        if (rejection instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
        throw rejection;
      }
    },
  };
}
