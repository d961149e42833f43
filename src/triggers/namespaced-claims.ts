/**
 * Custom claims a credentials-exchange hook may add to an access token. From the Auth0 Hooks docs:
 * only namespaced names count, i.e. http or https URLs whose host is not auth0.com, webtask.io,
 * webtask.run or a subdomain of them; other properties are ignored.
 */

const RESERVED_HOSTS = ['auth0.com', 'webtask.io', 'webtask.run'] as const;

function isReservedHost(hostname: string): boolean {
  // A trailing dot names the same host (`auth0.com.`), so it must not slip past the check.
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return RESERVED_HOSTS.some((reserved) => host === reserved || host.endsWith(`.${reserved}`));
}

/** Why a response key cannot be a claim, or null when it is a namespaced claim name. */
export function claimNameProblem(key: string): string | null {
  let url: URL;
  try {
    url = new URL(key);
  } catch {
    return `"${key}" is not a namespaced claim: custom claim names must be http or https URLs.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `"${key}" is not a namespaced claim: custom claim names must be http or https URLs.`;
  }
  if (isReservedHost(url.hostname)) {
    return `"${key}" uses a host reserved by Auth0 (auth0.com, webtask.io, webtask.run and their subdomains).`;
  }
  return null;
}

export function isNamespacedClaim(key: string): boolean {
  return claimNameProblem(key) === null;
}
