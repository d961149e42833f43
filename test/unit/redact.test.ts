import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/services/redact.ts';

describe('Redactor', () => {
  it('replaces password keys at any depth and every secret value inside strings and keys', () => {
    const redactor = new Redactor(['s3cr3t', 'xy']);
    const out = redactor.json({
      user: { password: 'hunter2', newPassword: 'x', profile: { note: 'token=s3cr3t;' } },
      list: [{ s3cr3t: 1 }, 'xy stays'],
    });
    expect(out).toEqual({
      user: { password: REDACTED, newPassword: REDACTED, profile: { note: `token=${REDACTED};` } },
      list: [{ [REDACTED]: 1 }, 'xy stays'],
    });
  });

  it('keeps a __proto__ key as data instead of changing the copy’s prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = new Redactor([]).json(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Redactor.line', () => {
  it('masks the start of a secret left at the end of a line the sandbox cut', () => {
    const redactor = new Redactor(['sk_live_ABCDEFGH']);
    expect(redactor.line('xxxx sk_live_AB… [hookgate: line cut at 4096 bytes]')).toBe(`xxxx ${REDACTED}… [hookgate: line cut at 4096 bytes]`);
    expect(redactor.line('key sk_live_ABCDEFGH end')).toBe(`key ${REDACTED} end`);
    expect(redactor.line('nothing secret here… [hookgate: line cut at 4096 bytes]')).toBe('nothing secret here… [hookgate: line cut at 4096 bytes]');
  });
});
