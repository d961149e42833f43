/**
 * Expected failures of the domain. Services throw them; the GraphQL layer turns them into typed
 * members of mutation result unions, or into top-level errors with a code (see graphql/errors.ts).
 */

export class DomainError extends Error {
  override name = this.constructor.name;
}

/** No token, or an unknown or revoked one. */
export class AuthenticationError extends DomainError {}

/** The token lacks the scope an operation needs. */
export class ForbiddenError extends DomainError {
  constructor(readonly scope: string) {
    super(`This operation needs the scope ${scope}`);
  }
}

export class NotFoundError extends DomainError {
  /** `id` is kept for logs; the message names only the kind, as clients know which id they sent. */
  constructor(readonly entity: string, readonly id: string) {
    super(`${entity} not found`);
  }
}

/** An input value broke a rule; `field` is the dotted path of the input field. */
export class ValidationError extends DomainError {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** A timeout past its trigger's ceiling; the ceiling lets a vendor API say it in its own unit. */
export class TimeoutTooLongError extends ValidationError {
  constructor(field: string, readonly ceilingMs: number, triggerId: string) {
    super(field, `${field}: at most ${ceilingMs} for ${triggerId}`);
  }
}

/** OneLogin allows one hook of each type (a trigger's maxEnabledHooks, enabled or not): creating another is a conflict. */
export class HookTypeTakenError extends DomainError {
  constructor(readonly triggerId: string) {
    super(`A ${triggerId} hook already exists; only one of this type can be defined`);
  }
}

/** A unique name is already taken. */
export class NameTakenError extends DomainError {
  constructor(readonly field: string, readonly value: string) {
    super(`The name "${value}" is already taken`);
  }
}

export class UnknownTriggerError extends DomainError {
  constructor(readonly triggerId: string, readonly known: readonly string[]) {
    super(`Unknown trigger "${triggerId}"; known triggers: ${known.join(', ')}`);
  }
}

/** A script (or its base64 form) does not compile; line and column are 1-based, in the script. */
export class ScriptSyntaxError extends DomainError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

export class InvalidBase64Error extends DomainError {
  constructor(readonly field: string) {
    super(`${field} is not valid base64`);
  }
}

/** Enabling the hook would pass its trigger's limit of enabled hooks. */
export class EnabledHookLimitError extends DomainError {
  constructor(
    readonly triggerId: string,
    readonly limit: number,
    readonly enabledHookId: string,
    readonly enabledHookName: string,
  ) {
    super(
      `Trigger ${triggerId} allows ${limit} enabled hook${limit === 1 ? '' : 's'}; ` +
        `"${enabledHookName}" is already enabled: disable it first`,
    );
  }
}

/** Too many of something per owner (secrets per hook, …). */
export class LimitExceededError extends DomainError {
  constructor(readonly field: string, readonly limit: number, message: string) {
    super(message);
  }
}

/**
 * A token spent its budget for the minute: runs (runHook, dispatchTrigger) past
 * HOOKGATE_RUN_RATE_LIMIT, or management-API requests past HOOKGATE_API_RATE_LIMIT.
 */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number, readonly limit?: number, what = 'runs') {
    super(`Too many ${what} for this token: retry in ${retryAfterSeconds} s`);
  }
}

/** A subscriber left more events unread than it may (services/events.ts): its subscription ended. */
export class SubscriptionOverflowError extends DomainError {
  constructor(
    readonly limit: number,
    readonly limitBytes: number,
  ) {
    super(
      `This subscription fell too far behind its reader (more than ${limit} events or ${Math.round(limitBytes / 1024)} KiB unread) ` +
        'and was ended: subscribe again, and read its events as they come',
    );
  }
}
