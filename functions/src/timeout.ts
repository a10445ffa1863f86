/**
 * Races `work` against a timer. Google client libraries retry unreachable backends for up to a
 * minute; a caller waiting for a token should get an answer within seconds instead. The work
 * keeps running after a timeout, so its late failure is swallowed here rather than reported as
 * an unhandled rejection.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
