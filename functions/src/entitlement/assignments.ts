import type { Firestore } from "firebase-admin/firestore";
import type { Collections } from "../config.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { withTimeout } from "../timeout.js";

/**
 * A stored document as plain data; its fields are untrusted, read by the configured field paths
 * and checked by `entitle`.
 */
export type StoredDocument = Readonly<Record<string, unknown>>;

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
}

/** Firestore gives up on an unreachable backend only after a minute; callers should not wait. */
export const DEFAULT_READ_TIMEOUT_MS = 5000;

// gRPC status codes that @google-cloud/firestore puts on its errors.
const TRANSIENT_CODES = new Set([1, 4, 8, 10, 14]); // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE
const ACCESS_CODES = new Set([5, 7, 16]); // NOT_FOUND (database), PERMISSION_DENIED, UNAUTHENTICATED

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
  /** Gives the Firestore client; called on the first read only, so cold starts stay lean. */
  firestore: () => Promise<Firestore>;
  collections: Collections;
  readTimeoutMs?: number;
}

export class FirestoreAssignmentRepository implements AssignmentRepository {
  readonly #firestore: () => Promise<Firestore>;
  readonly #collections: Collections;
  readonly #timeoutMs: number;

  constructor(options: FirestoreAssignmentRepositoryOptions) {
    this.#firestore = options.firestore;
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

  async #get(collection: string, id: string): Promise<StoredDocument | undefined> {
    // Never a path other than <collection>/<one id>: such an ID names no document of ours.
    if (!isDocumentId(id)) return undefined;
    try {
      const read = this.#firestore().then((db) => db.collection(collection).doc(id).get());
      const snapshot = await withTimeout(
        read,
        this.#timeoutMs,
        () =>
          new TokenServiceError(ErrorCode.BackendUnavailable, "Firestore read timed out", {
            details: { reason: "firestore-timeout", collection, timeoutMs: this.#timeoutMs },
          }),
      );
      return snapshot.exists ? (snapshot.data() ?? {}) : undefined;
    } catch (error) {
      throw toServiceError(error, collection);
    }
  }
}

function toServiceError(error: unknown, collection: string): TokenServiceError {
  if (error instanceof TokenServiceError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "number" && TRANSIENT_CODES.has(code)) {
    return new TokenServiceError(ErrorCode.BackendUnavailable, `Firestore: ${message}`, {
      cause: error,
      details: { reason: "firestore-unavailable", collection, grpcCode: code },
    });
  }
  if (typeof code === "number" && ACCESS_CODES.has(code)) {
    return new TokenServiceError(ErrorCode.Misconfigured, `Firestore: ${message}`, {
      cause: error,
      details: { reason: "firestore-access", collection, grpcCode: code },
    });
  }
  return new TokenServiceError(ErrorCode.Internal, `Firestore: ${message}`, {
    cause: error,
    details: { reason: "firestore-error", collection },
  });
}
