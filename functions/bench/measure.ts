/** Timing helpers. All numbers are wall-clock on a shared machine: compare rows, not runs. */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `op` `iterations` times one after another; returns milliseconds per operation. */
export async function msPerOp(op: () => unknown, iterations: number): Promise<number> {
  const started = nowMs();
  for (let i = 0; i < iterations; i++) await op();
  return (nowMs() - started) / iterations;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);
