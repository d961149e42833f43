import { describe, expect, it } from 'vitest';
import { ShortPatternSearch, spansOfFew } from '../../src/services/multi-search.ts';
import { REDACTED, Redactor } from '../../src/services/redact.ts';

describe('ShortPatternSearch', () => {
  it('finds every pattern, overlapping ones merged into one span', () => {
    const search = new ShortPatternSearch(['he', 'she', 'his', 'hers', 'xyz']);
    expect(search.spans('ushers')).toEqual([[1, 6]]);
    expect(search.spans('this is hers, xyz')).toEqual([[1, 4], [8, 12], [14, 17]]);
    expect(search.spans('nothing')).toEqual([]);
    // A longer match that starts before the spans found so far.
    expect(new ShortPatternSearch(['bc', 'abcd']).spans('xabcdx')).toEqual([[1, 5]]);
    expect(new ShortPatternSearch(['aab']).spans('aaab')).toEqual([[1, 4]]);
    // Patterns that start beyond Latin-1 (the root's transitions on it are an array, the rest a map).
    expect(new ShortPatternSearch(['日本', 'ab', '€x']).spans('x日本ab€€x日')).toEqual([[1, 5], [6, 8]]);
  });
});

describe('ShortPatternSearch with margins', () => {
  it('covers a pattern without its margins, and the union of what matches where a margin and a plain pattern meet', () => {
    const search = new ShortPatternSearch(['"77"', '\\"77\\"', '7"x'], [1, 2, 0]);
    expect(search.spans('a "77" b')).toEqual([[3, 5]]);
    expect(search.spans('{\\"77\\"}')).toEqual([[3, 5]]);
    expect(search.spans('"77"x')).toEqual([[1, 5]]);
    expect(search.spans('"777"')).toEqual([]);
  });
});

describe('spansOfFew', () => {
  it('finds the spans the automaton finds, overlapping matches and margins included', () => {
    // A small alphabet, so that patterns overlap, nest and repeat.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (length: number) => Array.from({ length }, () => 'ab"'[random(3)]).join('');
    for (let round = 0; round < 500; round++) {
      const patterns = Array.from({ length: 1 + random(4) }, () => word(1 + random(4)));
      // A margin only around a quoted pattern, as the redactor's quoted forms have.
      const margins = patterns.map((pattern) => (pattern.length >= 3 && pattern.startsWith('"') && pattern.endsWith('"') ? 1 : 0));
      const text = word(random(40));
      expect(spansOfFew(text, patterns, margins, 1000), `${JSON.stringify(patterns)} in ${JSON.stringify(text)}`).toEqual(new ShortPatternSearch(patterns, margins).spans(text));
    }
  });

  it('gives up past the number of matches it may sort, and finds nothing for an empty pattern', () => {
    expect(spansOfFew('aaaa', ['aa'], [], 3)).toEqual([[0, 4]]);
    expect(spansOfFew('aaaaa', ['aa'], [], 3)).toBeNull();
    expect(spansOfFew('abc', ['', 'b'], [], 3)).toEqual([[1, 2]]);
  });
});

describe('Redactor: many secrets in a large value', () => {
  it('masks a 250 KB response of short strings against 150 secrets with quotes in one pass per value', () => {
    const secrets = Array.from({ length: 150 }, (_, i) => `a'"\\\n${i.toString(36).padStart(4, 'q')}`);
    const redactor = new Redactor(secrets);
    const response = Array.from({ length: 12_000 }, (_, i) => (i % 1000 === 0 ? `x ${JSON.stringify(secrets[i % 150])} y` : `a'"${'a'.repeat(17)}`));
    const started = performance.now();
    const masked = redactor.json(response) as string[];
    // Each string against each form, this took about 600 ms.
    expect(performance.now() - started).toBeLessThan(300);
    expect(masked[0]).toBe(`x "${REDACTED}" y`);
    expect(masked[1]).toBe(response[1]);
    expect(JSON.stringify(masked)).not.toContain('qqq0');
  });
});
