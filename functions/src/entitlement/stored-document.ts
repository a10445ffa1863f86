/**
 * A stored document as plain data; its fields are untrusted, read by the configured field paths
 * and checked by `entitle`.
 */
export type StoredDocument = Readonly<Record<string, unknown>>;

/** Reads one document by collection and ID (firestore-rest.ts in production, fakes in tests). */
export interface DocumentReader {
  /** The document's fields as plain data, or undefined when it does not exist. */
  get(collection: string, id: string, signal: AbortSignal): Promise<StoredDocument | undefined>;
}
