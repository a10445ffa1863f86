import fc from "fast-check";
import { TOKEN_TYPES } from "../../src/token-types.js";
import type { Doc, Layout } from "./entitlement-oracle.js";

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
        taskId: value,
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

/**
 * Requests that are well-formed for their type (IDs from the pool, only the type's fields), of
 * `types` only (a stack that does not serve a type would refuse them all).
 */
export function wellFormedRequest(
  pool: readonly string[],
  types: readonly string[] = TYPES,
): fc.Arbitrary<Record<string, unknown>> {
  const id = fc.constantFrom(...pool);
  // Weights in halves: the two operator types share what one variant gets.
  const variants: [string, fc.Arbitrary<Record<string, unknown>>, number][] = [
    [
      "driver",
      fc.record({ type: fc.constant("driver"), vehicleId: id }, { requiredKeys: ["type"] }),
      2,
    ],
    ["consumer", fc.record({ type: fc.constant("consumer"), tripId: id }), 2],
    [
      "deliveryDriver",
      fc.record(
        { type: fc.constant("deliveryDriver"), deliveryVehicleId: id },
        { requiredKeys: ["type"] },
      ),
      2,
    ],
    [
      "trustedDeliveryDriver",
      fc.record(
        { type: fc.constant("trustedDeliveryDriver"), deliveryVehicleId: id },
        { requiredKeys: ["type"] },
      ),
      2,
    ],
    // Weighted up: a trusted driver's task is issued only when two documents agree.
    [
      "trustedDeliveryDriver",
      fc.record(
        { type: fc.constant("trustedDeliveryDriver"), deliveryVehicleId: id, taskId: id },
        { requiredKeys: ["type", "taskId"] },
      ),
      4,
    ],
    ["deliveryConsumer", fc.record({ type: fc.constant("deliveryConsumer"), trackingId: id }), 2],
    ["deliveryConsumer", fc.record({ type: fc.constant("deliveryConsumer"), taskId: id }), 2],
    ["fleetReader", fc.record({ type: fc.constant("fleetReader") }), 1],
    ["deliveryFleetReader", fc.record({ type: fc.constant("deliveryFleetReader") }), 1],
  ];
  return fc.oneof(
    ...variants
      .filter(([type]) => types.includes(type))
      .map(([, arbitrary, weight]) => ({ arbitrary, weight })),
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
    {
      // The caller's uid among things that are not uids: not a list of uids (issue 17).
      weight: 1,
      arbitrary: fc.array(
        fc.oneof(
          fc.constantFrom(...uids),
          fc.constantFrom<unknown>(7, null, true, { uid: uids[0] }),
        ),
        { minLength: 2, maxLength: 4 },
      ),
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

/** Which flat field of storedDocument each layout field takes its value from. */
const FLAT_NAMES: Readonly<Record<keyof Layout, string>> = {
  driverVehicle: "vehicleId",
  driverDeliveryVehicle: "deliveryVehicleId",
  driverActive: "active",
  tripConsumers: "consumerUids",
  tripStatus: "status",
  shipmentConsumers: "consumerUids",
  taskVehicle: "deliveryVehicleId",
  taskConsumers: "consumerUids",
};

/** What a parent map may be replaced by: nothing a field path can read through. */
const NOT_A_MAP = ["COMPLETE", "NEW", "u-alice", "", 0, 7, false, true, null, ["NEW"], []];

/**
 * storedDocument's values placed at `layout`'s nested paths, with any parent on the way
 * sometimes missing or replaced by something that is not a map (`fe: "COMPLETE"`,
 * `employment: false`): the cases where "absent" and "unreadable" must not be confused.
 */
export function nestedDocument(
  uids: readonly string[],
  pool: readonly string[],
  layout: Layout,
): fc.Arbitrary<Doc> {
  const parents = [
    ...new Set(
      Object.values(layout).flatMap((path: readonly string[]) =>
        path.slice(0, -1).map((_, depth) => path.slice(0, depth + 1).join(".")),
      ),
    ),
  ].sort((a, b) => a.split(".").length - b.split(".").length);
  const parent = fc.oneof(
    { weight: 5, arbitrary: fc.constant<"keep">("keep") },
    { weight: 1, arbitrary: fc.constant<"drop">("drop") },
    { weight: 2, arbitrary: fc.constantFrom(...NOT_A_MAP).map((value) => ({ value })) },
  );
  return fc
    .record({
      flat: storedDocument(uids, pool),
      parents: fc.tuple(...parents.map(() => parent)),
    })
    .map(({ flat, parents: choices }) => {
      const doc: Doc = {};
      for (const [field, path] of Object.entries(layout) as [keyof Layout, string[]][]) {
        const name = FLAT_NAMES[field];
        if (Object.hasOwn(flat, name)) setAt(doc, path, flat[name]);
      }
      // Outermost first, so that a replaced parent is not refilled by a deeper one.
      parents.forEach((dotted, index) => {
        const choice = choices[index];
        if (choice === "keep" || choice === undefined) return;
        const path = dotted.split(".");
        const holder = path.length === 1 ? doc : mapAt(doc, path.slice(0, -1));
        if (holder === undefined) return;
        const key = path[path.length - 1];
        if (choice === "drop") delete holder[key];
        else holder[key] = choice.value;
      });
      return doc;
    });
}

/**
 * Puts the delivery vehicle of `driver` (whatever its driver field holds, when it can be read)
 * into `task`'s vehicle field, so that a trusted driver's task is on their vehicle often enough
 * to be issued; the task's other fields, broken parents included, stay as generated.
 */
export function onVehicleOf(driver: Doc | undefined, task: Doc, layout: Layout): Doc {
  const vehicle = driver === undefined ? undefined : valueAt(driver, layout.driverDeliveryVehicle);
  if (vehicle === undefined) return task;
  // Copies the maps on the way, so that the generated value (which fast-check may replay while
  // shrinking) is never changed.
  const linked: Doc = { ...task };
  let here = linked;
  for (const key of layout.taskVehicle.slice(0, -1)) {
    const next = here[key];
    here[key] =
      typeof next === "object" && next !== null && !Array.isArray(next) ? { ...(next as Doc) } : {};
    here = here[key] as Doc;
  }
  here[layout.taskVehicle[layout.taskVehicle.length - 1]] = vehicle;
  return linked;
}

function valueAt(doc: Doc, path: readonly string[]): unknown {
  const holder = mapAt(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  return holder !== undefined && Object.hasOwn(holder, key) ? holder[key] : undefined;
}

function setAt(doc: Doc, path: readonly string[], value: unknown): void {
  let here = doc;
  for (const key of path.slice(0, -1)) {
    const next = here[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) here[key] = {};
    here = here[key] as Doc;
  }
  here[path[path.length - 1]] = value;
}

function mapAt(doc: Doc, path: readonly string[]): Doc | undefined {
  let here: unknown = doc;
  for (const key of path) {
    if (typeof here !== "object" || here === null || Array.isArray(here)) return undefined;
    here = (here as Doc)[key];
  }
  return typeof here === "object" && here !== null && !Array.isArray(here)
    ? (here as Doc)
    : undefined;
}

/** Custom claims: only `fleetReader: true` makes an operator; near misses must not. */
export const claims: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { fleetReader: fc.constantFrom(true, false, "true", 1, null, [true], { value: true }) },
  { requiredKeys: [] },
);
