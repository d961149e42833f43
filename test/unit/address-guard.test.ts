import { describe, expect, it } from 'vitest';
import { checkLiteralHost, refusedRange } from '../../src/sandbox/address-guard.ts';

describe('address guard (issue 11, item 9)', () => {
  it('refuses IPv4-compatible IPv6 addresses, as written and as a URL writes them', () => {
    for (const host of ['[::127.0.0.1]', '[::10.0.0.1]', '[::169.254.169.254]', '[::8.8.8.8]']) {
      const { hostname } = new URL(`http://${host}/`);
      expect(refusedRange(hostname), hostname).not.toBeNull();
      expect(() => checkLiteralHost({ allowHosts: new Set() }, hostname)).toThrow(/refused/);
    }
    expect(new URL('http://[::127.0.0.1]/').hostname).toBe('[::7f00:1]');
    expect(refusedRange('::1')).toBe('loopback');
    expect(refusedRange('::')).toBe('unspecified');
    expect(refusedRange('2606:4700:4700::1111')).toBeNull();
    expect(refusedRange('8.8.8.8')).toBeNull();
  });
});
