/** Percentiles of a list of durations, for the benchmarks' printouts. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)!, n: sorted.length };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
