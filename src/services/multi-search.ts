/** The end margin of a node no pattern ends at. */
const NO_MATCH = 0x7fffffff;

/**
 * Finds many short patterns in a text in one pass (Aho–Corasick over UTF-16 code units): time linear
 * in the text, whatever the number of patterns. Used by the redactor for the forms of secrets short
 * enough that looking for each one on its own would cost the text's length each time.
 */
export class ShortPatternSearch {
  /** Transitions, keyed `node * 65536 + code unit`. */
  private readonly next = new Map<number, number>();
  /**
   * The root's transitions on Latin-1 code units (0: none), read without hashing: the walk is
   * at the root for most characters of most texts, since few start a pattern.
   */
  private readonly rootLatin1 = new Int32Array(256);
  /**
   * Per node, over the patterns that end where it does (itself or by a suffix): how far back the
   * span they cover starts (0: none end there), and how far before the end it stops (the least
   * margin among them).
   */
  private readonly reach: Int32Array;
  private readonly endMargin: Int32Array;
  private readonly fallback: Int32Array;

  /**
   * `margins[i]` (0 when absent): how many code units at each end of pattern i must match but are
   * not part of the span it covers (the quotes around a quoted string).
   */
  constructor(patterns: readonly string[], margins: readonly number[] = []) {
    const terminal: number[] = [0];
    const terminalMargin: number[] = [NO_MATCH];
    for (const [index, pattern] of patterns.entries()) {
      let node = 0;
      for (let i = 0; i < pattern.length; i++) {
        const key = node * 65536 + pattern.charCodeAt(i);
        let child = this.next.get(key);
        if (child === undefined) {
          child = terminal.length;
          terminal.push(0);
          terminalMargin.push(NO_MATCH);
          this.next.set(key, child);
          if (node === 0 && pattern.charCodeAt(i) < 256) this.rootLatin1[pattern.charCodeAt(i)] = child;
        }
        node = child;
      }
      const margin = margins[index] ?? 0;
      terminal[node] = Math.max(terminal[node]!, pattern.length - margin);
      terminalMargin[node] = Math.min(terminalMargin[node]!, margin);
    }
    const size = terminal.length;
    this.reach = Int32Array.from(terminal);
    this.endMargin = Int32Array.from(terminalMargin);
    this.fallback = new Int32Array(size);
    // Children by node, for the breadth-first pass that sets fallbacks.
    const children: [number, number][][] = Array.from({ length: size }, () => []);
    for (const [key, child] of this.next) children[Math.floor(key / 65536)]!.push([key % 65536, child]);
    const queue: number[] = [];
    for (const [, child] of children[0]!) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const [code, child] of children[node]!) {
        this.fallback[child] = this.step(this.fallback[node]!, code, child);
        this.reach[child] = Math.max(this.reach[child]!, this.reach[this.fallback[child]!]!);
        this.endMargin[child] = Math.min(this.endMargin[child]!, this.endMargin[this.fallback[child]!]!);
        queue.push(child);
      }
    }
  }

  /** From `node` reading `code`; `self` is excluded (a node never falls back to itself). */
  private step(node: number, code: number, self = -1): number {
    for (;;) {
      if (node === 0 && code < 256) {
        const child = this.rootLatin1[code]!;
        return child !== self ? child : 0;
      }
      const child = this.next.get(node * 65536 + code);
      if (child !== undefined && child !== self) return child;
      if (node === 0) return 0;
      node = this.fallback[node]!;
    }
  }

  /** The spans `[start, end)` the patterns cover in `text`, merged, in order. */
  spans(text: string): [number, number][] {
    const spans: [number, number][] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      node = this.step(node, text.charCodeAt(i));
      const reach = this.reach[node]!;
      if (reach === 0) continue;
      let start = i + 1 - reach;
      let end = i + 1 - this.endMargin[node]!;
      // A longer match can begin before the spans found so far end, or even start; one with a
      // margin can end before the last one does.
      while (spans.length > 0 && start <= spans[spans.length - 1]![1]) {
        const [lastStart, lastEnd] = spans.pop()!;
        start = Math.min(start, lastStart);
        end = Math.max(end, lastEnd);
      }
      spans.push([start, end]);
    }
    return spans;
  }
}

/**
 * The spans the patterns cover in `text`, merged, found with V8's string search one pattern at a
 * time: for a few patterns (a password and its forms), cheaper than building the automaton, and
 * each pattern's search skips ahead. Each search goes on from just after the last match, so the
 * text is read about once per pattern however many matches there are; past `maxMatches` in all,
 * null: the caller builds the automaton, which merges as it reads, instead of sorting that many.
 *
 * The union of the matches, exactly. `ShortPatternSearch#spans` gives the same, but for patterns
 * with different margins ending at one place, where it covers from the earliest start to the
 * latest end among them (a quoted form and a one-character pattern: the redactor has neither, its
 * short forms being three characters at least). Empty patterns match nothing, as there.
 */
export function spansOfFew(text: string, patterns: readonly string[], margins: readonly number[], maxMatches: number): [number, number][] | null {
  const found: [number, number][] = [];
  for (const [index, pattern] of patterns.entries()) {
    if (pattern === '') continue;
    const margin = margins[index] ?? 0;
    for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
      if (found.push([at + margin, at + pattern.length - margin]) > maxMatches) return null;
    }
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const spans: [number, number][] = [found[0]!];
  for (let i = 1; i < found.length; i++) {
    const [start, end] = found[i]!;
    const last = spans[spans.length - 1]!;
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}
