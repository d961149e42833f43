import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors.ts';

/** A token's budget after a consume, for clients that pace themselves (the REST dialects' X-RateLimit-* headers). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Milliseconds until the budget is whole again. */
  msBeforeReset: number;
}

export interface TokenRateLimiter {
  /**
   * Counts one unit for the token; throws RateLimitedError when its budget for the minute is spent.
   * Answers the budget left, or null when there is no limit.
   */
  consume(tokenId: string): Promise<RateLimitState | null>;
}

/**
 * A budget per API token per minute, in this process's memory; `0` or no limit turns it off.
 * Each limiter has its own key space (`keyPrefix`): what one counts never spends another's budget.
 * `what` names the unit in the 429's message ("runs", "requests").
 */
export function createTokenRateLimiter(keyPrefix: string, what: string, perMinute = 0): TokenRateLimiter {
  if (perMinute <= 0) return { consume: async () => null };
  const limiter = new RateLimiterMemory({ keyPrefix, points: perMinute, duration: 60 });
  return {
    async consume(tokenId) {
      try {
        const state = await limiter.consume(tokenId);
        return { limit: perMinute, remaining: state.remainingPoints, msBeforeReset: state.msBeforeNext };
      } catch (rejection) {
        // The limiter rejects with its state (not an Error) when the budget is spent.
        if (rejection instanceof RateLimiterRes) {
          throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), perMinute, what);
        }
        throw rejection;
      }
    },
  };
}

/** Runs: runHook and dispatchTrigger share one budget (HOOKGATE_RUN_RATE_LIMIT). */
export const createRunRateLimiter = (runsPerMinute = 0) => createTokenRateLimiter('runs', 'runs', runsPerMinute);

/** Requests to the vendors' management APIs, /api/v2 and /api/2 (HOOKGATE_API_RATE_LIMIT). */
export const createApiRateLimiter = (requestsPerMinute = 0) => createTokenRateLimiter('api', 'requests', requestsPerMinute);
