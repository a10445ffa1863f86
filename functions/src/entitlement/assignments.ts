import type { Collections } from "../config/data-model.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import type { DocumentReader, StoredDocument } from "./stored-document.js";

export type { StoredDocument } from "./stored-document.js";

/**
 * Where assignments live. Only document gets by ID: no queries, so a lookup costs one read and
 * needs no index, and an unknown ID is indistinguishable from one that is not yours.
 */
export interface AssignmentRepository {
  /** `drivers/{uid}`, with the driver's vehicle, delivery vehicle and active flag. */
  getDriver(uid: string): Promise<StoredDocument | undefined>;
  /** `trips/{tripId}`, with who may follow it and its status. */
  getTrip(tripId: string): Promise<StoredDocument | undefined>;
  /** `shipments/{trackingId}`, with who may follow it. */
  getShipment(trackingId: string): Promise<StoredDocument | undefined>;
  /** `tasks/{taskId}`, with its delivery vehicle and who may follow it. */
  getTask(taskId: string): Promise<StoredDocument | undefined>;
}

/** Firestore gives up on an unreachable backend only after a minute; callers should not wait. */
export const DEFAULT_READ_TIMEOUT_MS = 5000;

/**
 * Whether `id` is exactly one Firestore document ID: not empty, no `/` (which would make it a
 * path into another collection), not `.` or `..`, not `__reserved__`, at most 1,500 bytes.
 * Fleet Engine IDs allow some of these, and a custom-token uid may contain `/`.
 */
export function isDocumentId(id: string): boolean {
  return (
    id !== "" &&
    !id.includes("/") &&
    id !== "." &&
    id !== ".." &&
    !/^__.*__$/s.test(id) &&
    Buffer.byteLength(id) <= 1500
  );
}

export interface FirestoreAssignmentRepositoryOptions {
  /** Gives the document reader; called on the first read only, so cold starts stay lean. */
  documents: () => Promise<DocumentReader>;
  collections: Collections;
  readTimeoutMs?: number;
}

export class FirestoreAssignmentRepository implements AssignmentRepository {
  readonly #documents: () => Promise<DocumentReader>;
  readonly #collections: Collections;
  readonly #timeoutMs: number;

  constructor(options: FirestoreAssignmentRepositoryOptions) {
    this.#documents = options.documents;
    this.#collections = options.collections;
    this.#timeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  }

  getDriver(uid: string): Promise<StoredDocument | undefined> {
    return this.#get(this.#collections.drivers, uid);
  }

  getTrip(tripId: string): Promise<StoredDocument | undefined> {
    return this.#get(this.#collections.trips, tripId);
  }

  getShipment(trackingId: string): Promise<StoredDocument | undefined> {
    return this.#get(this.#collections.shipments, trackingId);
  }

  getTask(taskId: string): Promise<StoredDocument | undefined> {
    return this.#get(this.#collections.tasks, taskId);
  }

  async #get(collection: string, id: string): Promise<StoredDocument | undefined> {
    // Never a path other than <collection>/<one id>: such an ID names no document of ours.
    if (!isDocumentId(id)) return undefined;
    const timeout = new TokenServiceError(
      ErrorCode.BackendUnavailable,
      "Firestore read timed out",
      {
        details: { reason: "firestore-timeout", collection, timeoutMs: this.#timeoutMs },
      },
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeout), this.#timeoutMs);
    try {
      const documents = await this.#documents();
      return await documents.get(collection, id, controller.signal);
    } catch (error) {
      if (error instanceof TokenServiceError) throw error;
      throw new TokenServiceError(ErrorCode.Internal, `Firestore: ${String(error)}`, {
        cause: error,
        details: { reason: "firestore-error", collection },
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
