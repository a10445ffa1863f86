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
 * What a field path finds in stored data. "Absent" and "unreadable" are different answers: a
 * field is absent when its key, or the key of a map on the way to it, does not exist (as in
 * Firestore, where `fe.status` does not exist when `fe` does not); it is unreadable when a parent
 * on the way exists but is not a map (`fe: "COMPLETE"`, `fe: null`). Absent may mean "live" or
 * "active" to a rule; unreadable never does: the data is not shaped as configured.
 */
export type FieldRead =
  | { readonly kind: "present"; readonly value: unknown }
  | { readonly kind: "absent" }
  | {
      readonly kind: "unreadable";
      /** The dot path of the parent that is not a map, e.g. `fe`. */
      readonly parent: string;
      /** What the parent holds instead: `string`, `null`, `array`, ... (never its value). */
      readonly holds: string;
    };

const ABSENT: FieldRead = Object.freeze({ kind: "absent" });

/**
 * Reads `path` in stored data. Own properties only: stored data is untrusted, and `constructor`
 * must not reach a prototype.
 */
export function readField(data: Readonly<Record<string, unknown>>, path: FieldPath): FieldRead {
  let current: unknown = data;
  for (let depth = 0; depth < path.length; depth++) {
    if (!isMap(current)) {
      return {
        kind: "unreadable",
        parent: path.slice(0, depth).join("."),
        holds: kindOf(current),
      };
    }
    const segment = path[depth];
    if (!Object.hasOwn(current, segment)) return ABSENT;
    current = current[segment];
  }
  return { kind: "present", value: current };
}

/** The kind of a stored value, for logs: never the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return isMap(value) ? "map" : "non-map object";
  return typeof value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
