/**
 * Keeps hook fetches away from the operator's own network: private, loopback, link-local,
 * unique-local, CGNAT, multicast, unspecified and other special-purpose addresses are refused,
 * unless the host name is on the operator's allow list. The check runs on the address a connection
 * actually uses (after DNS, on every redirect hop), so DNS tricks and redirects cannot get around it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused, or null when it is an ordinary public unicast address. */
export function refusedRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'unparseable';
  }
  // ::ffff:10.0.0.1 and friends reach the embedded IPv4 address.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  // IPv4-compatible addresses (::/96, deprecated by RFC 4291): `[::127.0.0.1]` is written `[::7f00:1]`
  // once a URL is parsed, which ipaddr.js calls unicast. No public host has one.
  const range = parsed.range();
  if (range !== 'unicast') return range;
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0) ? 'ipv4Compatible' : null;
}

export class RefusedAddressError extends Error {
  readonly code = 'HOOKGATE_ADDRESS_REFUSED';
  constructor(host: string, address: string, range: string) {
    super(`connection to ${host} (${address}) refused: ${range} addresses are not reachable from hooks`);
    this.name = 'RefusedAddressError';
  }
}

export interface AddressPolicy {
  /** Lower-case host names that skip the check. */
  allowHosts: ReadonlySet<string>;
}

export function isAllowedHost(policy: AddressPolicy, hostname: string): boolean {
  return policy.allowHosts.has(hostname.replace(/^\[|\]$/g, '').toLowerCase());
}

/** Refuses an IP-literal host before any connection is attempted. */
export function checkLiteralHost(policy: AddressPolicy, hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0 || isAllowedHost(policy, bare)) return;
  const range = refusedRange(bare);
  if (range !== null) throw new RefusedAddressError(hostname, bare, range);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that resolves as usual and refuses internal results for non-allowed hosts. */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, options as never, (error, address: string | LookupAddress[], family?: number) => {
      if (error) return callback(error, address, family);
      if (!isAllowedHost(policy, hostname)) {
        const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
        for (const candidate of addresses) {
          const range = refusedRange(candidate);
          if (range !== null) return callback(new RefusedAddressError(hostname, candidate, range) as never, address, family);
        }
      }
      callback(null, address, family);
    });
  };
}
