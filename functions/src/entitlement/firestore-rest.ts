import { ErrorCode, TokenServiceError } from "../errors.js";
import type { DocumentReader, StoredDocument } from "./stored-document.js";

/**
 * One Firestore document by ID over the REST API: `GET .../documents/{collection}/{id}`.
 *
 * Why not the Firestore client: the function reads one document per call and never queries,
 * and loading @google-cloud/firestore (google-gax, protobufjs, gRPC) is most of a fresh
 * instance's first-call CPU (docs/performance.md). This is the whole of what the function needs
 * from Firestore: a GET, the Value format decoded, and errors mapped to the service's codes.
 */

export const FIRESTORE_URL = "https://firestore.googleapis.com";

export interface FirestoreRestOptions {
  projectId: string;
  /** `https://firestore.googleapis.com`, or `http://<FIRESTORE_EMULATOR_HOST>`. */
  baseUrl: string;
  /** The Authorization header value: a Bearer access token, or `Bearer owner` for the emulator. */
  authorization: () => Promise<string>;
  /** The database ID; `(default)` unless the app uses a named database. */
  database?: string;
}

/** A Firestore REST Value (https://firebase.google.com/docs/firestore/reference/rest/v1/Value). */
type RestValue = Readonly<Record<string, unknown>>;

export class FirestoreRestDocuments implements DocumentReader {
  readonly #options: FirestoreRestOptions;

  constructor(options: FirestoreRestOptions) {
    this.#options = options;
  }

  /** The document's fields as plain data, or undefined when it does not exist. */
  async get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | undefined> {
    const { projectId, baseUrl, database = "(default)" } = this.#options;
    const url =
      `${baseUrl}/v1/projects/${encodeURIComponent(projectId)}/databases/${encodeURIComponent(database)}` +
      `/documents/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`;
    let authorization: string;
    try {
      authorization = await this.#options.authorization();
    } catch (error) {
      if (error instanceof TokenServiceError) throw error;
      throw new TokenServiceError(
        ErrorCode.BackendUnavailable,
        `Firestore: no access token: ${networkProblem(error)}`,
        { cause: error, details: { reason: "firestore-credentials", collection } },
      );
    }
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization }, signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new TokenServiceError(
        ErrorCode.BackendUnavailable,
        `Firestore: ${networkProblem(error)}`,
        {
          cause: error,
          details: { reason: "firestore-unavailable", collection },
        },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw await httpError(response, collection);
    const body = (await response.json()) as { fields?: Readonly<Record<string, RestValue>> };
    return decodeFields(body.fields ?? {});
  }
}

async function httpError(response: Response, collection: string): Promise<TokenServiceError> {
  let message = "";
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") message = body.error.message.slice(0, 300);
  } catch {
    // not JSON: the status says enough
  }
  const status = response.status;
  const text = `Firestore answered HTTP ${status}${message ? `: ${message}` : ""}`;
  if (status === 401 || status === 403) {
    return new TokenServiceError(ErrorCode.Misconfigured, text, {
      details: { reason: "firestore-access", collection, status },
    });
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new TokenServiceError(ErrorCode.BackendUnavailable, text, {
      details: { reason: "firestore-unavailable", collection, status },
    });
  }
  return new TokenServiceError(ErrorCode.Internal, text, {
    details: { reason: "firestore-error", collection, status },
  });
}

function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? `${cause.code}: ` : "";
  return `${code}${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
}

/** A map's fields, decoded; a null-prototype object, so no field name reaches a prototype. */
function decodeFields(fields: Readonly<Record<string, RestValue>>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) out[name] = decodeValue(value);
  return out;
}

/** Types the decision never reads stay opaque: they can only ever fail a shape check. */
class OpaqueValue {
  constructor(readonly kind: string) {}
}

export function decodeValue(value: RestValue): unknown {
  if ("stringValue" in value) return value.stringValue;
  if ("booleanValue" in value) return value.booleanValue;
  if ("nullValue" in value) return null;
  if ("integerValue" in value) return Number(value.integerValue);
  if ("doubleValue" in value) return Number(value.doubleValue);
  if ("arrayValue" in value) {
    const values = (value.arrayValue as { values?: RestValue[] } | undefined)?.values ?? [];
    return values.map(decodeValue);
  }
  if ("mapValue" in value) {
    const fields = (value.mapValue as { fields?: Record<string, RestValue> } | undefined)?.fields;
    return decodeFields(fields ?? {});
  }
  return new OpaqueValue(Object.keys(value)[0] ?? "unknown");
}
