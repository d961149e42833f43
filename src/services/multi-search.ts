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
  /** Per node: the longest pattern that ends where the node does (itself or by a suffix), or 0. */
  private readonly longest: Int32Array;
  private readonly fallback: Int32Array;

  constructor(patterns: readonly string[]) {
    const terminal: number[] = [0];
    for (const pattern of patterns) {
      let node = 0;
      for (let i = 0; i < pattern.length; i++) {
        const key = node * 65536 + pattern.charCodeAt(i);
        let child = this.next.get(key);
        if (child === undefined) {
          child = terminal.length;
          terminal.push(0);
          this.next.set(key, child);
          if (node === 0 && pattern.charCodeAt(i) < 256) this.rootLatin1[pattern.charCodeAt(i)] = child;
        }
        node = child;
      }
      terminal[node] = Math.max(terminal[node]!, pattern.length);
    }
    const size = terminal.length;
    this.longest = Int32Array.from(terminal);
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
        this.longest[child] = Math.max(this.longest[child]!, this.longest[this.fallback[child]!]!);
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
      const length = this.longest[node]!;
      if (length === 0) continue;
      let start = i + 1 - length;
      // A longer match can begin before the spans found so far end, or even start.
      while (spans.length > 0 && start <= spans[spans.length - 1]![1]) start = Math.min(start, spans.pop()![0]);
      spans.push([start, i + 1]);
    }
    return spans;
  }
}
