/**
 * A lazily started async value, computed once per instance. A failure is not cached: the next
 * caller tries again (a transient error must not poison the instance).
 */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= factory().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
