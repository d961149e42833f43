/**
 * Hook conditions (OneLogin Smart Hooks' `conditions`): a hook whose conditions do not match the
 * payload is skipped. The only source is `roles`: `~` the user has the role, `!~` the user does not.
 */
import type { HookCondition, TriggerDefinition } from './types.ts';

export const CONDITION_SOURCES = ['roles'] as const;
export const CONDITION_OPERATORS = ['~', '!~'] as const;

/** Whether a condition is one this module can evaluate; the API should refuse any other on write. */
export function isValidCondition(condition: unknown): condition is HookCondition {
  if (typeof condition !== 'object' || condition === null) return false;
  const { source, operator, value } = condition as Record<string, unknown>;
  return (
    (CONDITION_SOURCES as readonly unknown[]).includes(source) &&
    (CONDITION_OPERATORS as readonly unknown[]).includes(operator) &&
    typeof value === 'string' &&
    value.trim() !== ''
  );
}

/**
 * Role ids as strings. OneLogin role ids are integers while condition values are strings
 * (`"123456"`), so both forms compare equal.
 */
export function roleIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((role) => {
    if (typeof role === 'string' && role.trim() !== '') return [role.trim()];
    if (typeof role === 'number' && Number.isFinite(role)) return [String(role)];
    return [];
  });
}

/**
 * True when every condition holds (no conditions: always). Several conditions are combined with
 * AND: hookgate's choice, as the vendor documents only single-condition examples. A condition
 * this module cannot evaluate never holds, so its hook is skipped rather than run for everyone.
 */
export function conditionsMatch(
  trigger: Pick<TriggerDefinition, 'userRoles'>,
  conditions: readonly HookCondition[] | null | undefined,
  payload: Record<string, unknown>,
): boolean {
  if (!Array.isArray(conditions) || conditions.length === 0) return true;
  const roles = new Set(trigger.userRoles(payload));
  return conditions.every((condition: unknown) => {
    if (!isValidCondition(condition)) return false;
    const hasRole = roles.has(condition.value.trim());
    return condition.operator === '~' ? hasRole : !hasRole;
  });
}
