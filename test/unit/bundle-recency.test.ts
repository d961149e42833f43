import { describe, expect, it } from 'vitest';
import { BUNDLES_KEPT, BundleRecency, toProcessRequest } from '../../src/sandbox/protocol.ts';
import type { RunRequest } from '../../src/sandbox/types.ts';

const request = (hash: string): RunRequest => ({ cacheKey: hash, script: '', args: [], env: {}, timeoutMs: 100, bundle: { hash, source: `source of ${hash}` } });

describe("a packages bundle over the sandbox process's IPC", () => {
  it('sends its source once while it stays among the bundles last used, then its hash alone', () => {
    const host = new BundleRecency();
    expect(toProcessRequest(request('a'), host).bundle).toEqual({ hash: 'a', source: 'source of a' });
    expect(toProcessRequest(request('a'), host).bundle).toEqual({ hash: 'a' });
    expect(toProcessRequest({ ...request('x'), bundle: undefined }, host).bundle).toBeUndefined();
  });

  it('sends it again once both sides have dropped it, evicting the least recently used alike', () => {
    const host = new BundleRecency();
    const child = new BundleRecency();
    const dropped: string[] = [];
    const hashes = ['a', ...Array.from({ length: BUNDLES_KEPT }, (_, i) => `h${i}`), 'a'];
    const sentSource = hashes.map((hash) => {
      const sent = toProcessRequest(request(hash), host).bundle!;
      child.touch(hash, (gone) => dropped.push(gone));
      return sent.source !== undefined;
    });
    // 'a' was the oldest when the 17th bundle came: dropped by the child, so sent in full again
    // (which drops the next oldest, h0).
    expect(dropped).toEqual(['a', 'h0']);
    expect(sentSource.at(-1)).toBe(true);
    expect(sentSource.filter(Boolean)).toHaveLength(hashes.length);
  });
});
