import fc from "fast-check";
import { TOKEN_TYPES } from "../../src/token-types.js";
import type { Doc } from "./entitlement-oracle.js";

/**
 * Generators for fuzzing the callable: hostile request payloads and malformed stored documents,
 * mixed with well-formed cases so that every token type is also issued (a fuzzer that only ever
 * sees refusals proves little).
 */

export const TYPES = TOKEN_TYPES;

const HOSTILE_STRINGS = [
  "*",
  "",
  " ",
  "a/b",
  "a:b",
  "a?b",
  "a,b",
  "a#b",
  ".",
  "..",
  "__id__",
  "e\u0301",
  "\u00e9",
  "\u0000",
  "a\nb",
  "\ud800",
  "😀",
  "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
  "__proto__",
  "constructor",
  "toString",
];

/** Strings an attacker would try: hostile constants, unicode, long ones, and ordinary IDs. */
export function hostileString(pool: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 70 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 70 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 60, maxLength: 70 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 2000 }) },
  );
}

/** Any value where a string belongs: wrong types, arrays, nested objects. */
export function hostileValue(pool: readonly string[]): fc.Arbitrary<unknown> {
  const id = hostileString(pool);
  return fc.oneof(
    { weight: 6, arbitrary: id },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
    { weight: 1, arbitrary: fc.array(id, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), id, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** Request payloads: shaped like requests (with any field wrong), or anything at all. */
export function requestData(pool: readonly string[]): fc.Arbitrary<unknown> {
  const value = hostileValue(pool);
  const shaped = fc
    .record(
      {
        type: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...TYPES) },
          { weight: 1, arbitrary: fc.constantFrom("server", "admin", "custom", "Driver", "") },
          { weight: 1, arbitrary: value },
        ),
        vehicleId: value,
        tripId: value,
        deliveryVehicleId: value,
        trackingId: value,
        extra: value,
      },
      { requiredKeys: [] },
    )
    .chain((record) =>
      fc
        .constantFrom("plain", "own __proto__ key", "polluted prototype", "constructor key")
        .map((how) => pollute(record, how)),
    );
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** Requests that are well-formed for their type (IDs from the pool, only the type's field). */
export function wellFormedRequest(pool: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const id = fc.constantFrom(...pool);
  return fc.oneof(
    fc.record({ type: fc.constant("driver"), vehicleId: id }, { requiredKeys: ["type"] }),
    fc.record({ type: fc.constant("consumer"), tripId: id }),
    fc.record(
      { type: fc.constant("deliveryDriver"), deliveryVehicleId: id },
      { requiredKeys: ["type"] },
    ),
    fc.record({ type: fc.constant("deliveryConsumer"), trackingId: id }),
    fc.record({ type: fc.constantFrom("fleetReader", "deliveryFleetReader") }),
  );
}

function pollute(record: Record<string, unknown>, how: string): unknown {
  switch (how) {
    case "own __proto__ key":
      // What JSON.parse makes of {"__proto__": {...}}: an own property, not a prototype.
      return Object.defineProperty({ ...record }, "__proto__", {
        value: { type: "fleetReader", vehicleId: "*" },
        enumerable: true,
        configurable: true,
        writable: true,
      });
    case "polluted prototype":
      return Object.assign(Object.create({ type: "fleetReader", tripId: "*" }) as object, record);
    case "constructor key":
      return { ...record, constructor: { prototype: { fleetReader: true } } };
    default:
      return record;
  }
}

const STATUSES = [
  "NEW",
  "ENROUTE_TO_PICKUP",
  "ENROUTE_TO_DROPOFF",
  "COMPLETE",
  "CANCELED",
  "complete",
  " Canceled ",
];

/** Stored documents with missing fields, wrong types, `*`, over-long IDs, arrays for strings. */
export function storedDocument(
  uids: readonly string[],
  pool: readonly string[],
): fc.Arbitrary<Doc> {
  const value = hostileValue(pool);
  const uidList = fc.oneof(
    { weight: 6, arbitrary: fc.subarray([...uids]) },
    { weight: 1, arbitrary: fc.constantFrom(...uids) },
    {
      weight: 1,
      arbitrary: fc.array(fc.array(fc.constantFrom(...uids), { maxLength: 2 }), { maxLength: 2 }),
    },
    { weight: 1, arbitrary: value },
  );
  return fc.record(
    {
      vehicleId: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...pool) },
        { weight: 2, arbitrary: value },
      ),
      deliveryVehicleId: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...pool) },
        { weight: 2, arbitrary: value },
      ),
      active: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 2, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constantFrom("true", 1, 0, null, "false") },
      ),
      consumerUids: uidList,
      status: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...STATUSES) },
        { weight: 1, arbitrary: value },
      ),
    },
    { requiredKeys: [] },
  );
}

/** Custom claims: only `fleetReader: true` makes an operator; near misses must not. */
export const claims: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { fleetReader: fc.constantFrom(true, false, "true", 1, null, [true], { value: true }) },
  { requiredKeys: [] },
);
