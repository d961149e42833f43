/**
 * The API token, kept for this browser tab only (sessionStorage): gone when the tab closes, never
 * put in a URL, never shared with other tabs.
 */
const KEY = 'hookgate.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn: (token: string) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** `*` (Manage All) covers every scope but the operator's manage:tenants, as on the server. */
export function hasScope(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope) || (scope !== 'manage:tenants' && scopes.includes('*'));
}
