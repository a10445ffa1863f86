/**
 * Firestore field paths as the app's data model names them in params: dot-separated segments
 * (`fleet.vehicleId`). Checked once when the config loads, so a bad param fails closed with the
 * param's name instead of surfacing later as a Firestore error or a silent "no such field".
 */

/** The segments of a validated field path, outermost first. */
export type FieldPath = readonly string[];

/** Firestore rejects `*~/[]`; quotes, backslashes and blanks are refused so rules stay simple. */
const SEGMENT = /^[^\s*~/[\]`'"\\.]+$/u;
/** `__name__` and other `__x__` names are reserved by Firestore. */
const RESERVED = /^__.*__$/u;
const MAX_PATH_BYTES = 1500;

/** Why `raw` is not a usable field path, or undefined when it is one. */
export function fieldPathProblem(raw: string): string | undefined {
  if (raw === "") return "must not be empty";
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) return `must be at most ${MAX_PATH_BYTES} bytes`;
  if (raw.startsWith(".") || raw.endsWith(".") || raw.includes(".."))
    return "must be dot-separated field names with no empty name (no leading, trailing or double dot)";
  for (const segment of raw.split(".")) {
    if (!SEGMENT.test(segment)) {
      return `has a field name Firestore or the rules cannot use: ${JSON.stringify(segment)} (no blanks, quotes, backslashes or *~/[]\`)`;
    }
    if (RESERVED.test(segment)) return `uses the reserved field name ${segment}`;
  }
  return undefined;
}

/** Splits a path that fieldPathProblem accepted. */
export function parseFieldPath(raw: string): FieldPath {
  const problem = fieldPathProblem(raw);
  if (problem !== undefined) throw new Error(`field path ${JSON.stringify(raw)} ${problem}`);
  return Object.freeze(raw.split("."));
}

/** The dot form of a parsed path, for logs and generated rules. */
export function formatFieldPath(path: FieldPath): string {
  return path.join(".");
}

/**
 * The value at `path` in stored data, or undefined when any step is missing or is not a map.
 * Own properties only: stored data is untrusted, and `constructor` must not reach a prototype.
 */
export function readField(data: Readonly<Record<string, unknown>>, path: FieldPath): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (!isMap(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
