/**
 * HOOKGATE_PACKAGES_ALLOW: the packages hooks may ask for, as names or patterns (`lodash`,
 * `@acme/*`, `aws-sdk*`). Empty means any. The packages those pull in are not checked: the list
 * is about what tenants choose, as OneLogin's allowlist is.
 */
export type PackageAllowlist = (name: string) => boolean;

export function packageAllowlist(patterns: readonly string[]): PackageAllowlist {
  if (patterns.length === 0) return () => true;
  const expressions = patterns.map(
    (pattern) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`),
  );
  return (name) => expressions.some((expression) => expression.test(name));
}
