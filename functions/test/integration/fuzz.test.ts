import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../support/auth-emulator.js";
import { callTokenFunction } from "../support/callable.js";
import { emulatorSigningKey } from "../support/dev-key.js";
import {
  OPERATOR_TYPES,
  claimKeys,
  unjustifiedIssue,
  type Doc,
  type Store,
} from "../support/entitlement-oracle.js";
import { adminFirestore } from "../support/firestore-admin.js";
import { DEFAULT_ENABLED_TOKEN_TYPES } from "../../src/token-types.js";
import { requestData, storedDocument, wellFormedRequest } from "../support/fuzz-arbitraries.js";
import { nowSeconds, verifyFleetEngineToken } from "../support/verify.js";

/**
 * The fuzz properties end to end: random documents written to the Firestore emulator, random
 * payloads sent over HTTP to the callable in the Functions emulator as real Auth users. The
 * oracle judges each token against the documents as Firestore stored them (read back).
 */

const RUNS = 300;
const TTL_SECONDS = 3600;
const IDS = ["fz-v1", "fz-v2", "fz-t1", "fz-k1"] as const;
const key = emulatorSigningKey();
const DOCUMENTED = new Set(["UNAUTHENTICATED", "INVALID_ARGUMENT", "PERMISSION_DENIED"]);

let users: { user: TestUser; claims: Record<string, unknown> }[];

beforeAll(async () => {
  users = await Promise.all(
    [{}, { fleetReader: "true" }, { fleetReader: true }].map(async (claims, i) => ({
      user: await createUser(`fuzz-${i}`, claims),
      claims,
    })),
  );
});

/**
 * Firestore stores no nested arrays, no empty or __reserved__ field names and no lone
 * surrogates: reshape those, keep the rest (the oracle reads back what was stored).
 */
function storable(value: unknown, inArray = false): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (Array.isArray(value)) {
    return inArray
      ? Object.fromEntries(value.map((v, i) => [`i${i}`, storable(v)]))
      : value.map((v) => storable(v, true));
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "" && !/^__.*__$/.test(k))
        .map(([k, v]) => [k, storable(v)]),
    );
  }
  return value;
}

describe("fuzzing the callable through the emulators", () => {
  it(`holds its properties over ${RUNS} cases sent over HTTP`, async () => {
    const db = adminFirestore();
    const outcomes = new Map<string, number>();
    const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    const maybeDoc = fc.option(storedDocument(["placeholder"], IDS), { nil: undefined });

    const scenario = fc.record({
      who: fc.nat({ max: 2 }),
      data: fc.oneof(
        { weight: 1, arbitrary: requestData(IDS) },
        // Well-formed requests of the types functions/.env enables; trustedDeliveryDriver still
        // comes in the hostile ones, and must be refused.
        { weight: 2, arbitrary: wellFormedRequest(IDS, DEFAULT_ENABLED_TOKEN_TYPES) },
      ),
      driver: maybeDoc,
      trips: fc.tuple(...IDS.map(() => maybeDoc)),
      shipments: fc.tuple(...IDS.map(() => maybeDoc)),
      tasks: fc.tuple(...IDS.map(() => maybeDoc)),
      listsCaller: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    });

    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { user, claims } = users[s.who];
        // Put the real caller into consumerUids where the generator asked for a placeholder.
        const withCaller = (doc: Doc | undefined): Doc | undefined => {
          if (doc === undefined) return undefined;
          const uids = doc.consumerUids;
          const replaced = Array.isArray(uids)
            ? uids.map((u: unknown) =>
                u === "placeholder" ? (s.listsCaller ? user.uid : "someone-else") : u,
              )
            : uids;
          return storable({
            ...doc,
            ...(uids === undefined ? {} : { consumerUids: replaced }),
          }) as Doc;
        };

        const batch = db.batch();
        const refs = [
          db.doc(`drivers/${user.uid}`),
          ...IDS.map((id) => db.doc(`trips/${id}`)),
          ...IDS.map((id) => db.doc(`shipments/${id}`)),
          ...IDS.map((id) => db.doc(`tasks/${id}`)),
        ];
        const docs = [
          withCaller(s.driver),
          ...s.trips.map(withCaller),
          ...s.shipments.map(withCaller),
          ...s.tasks.map(withCaller),
        ];
        refs.forEach((ref, i) =>
          docs[i] === undefined ? batch.delete(ref) : batch.set(ref, docs[i]),
        );
        await batch.commit();
        const stored = (await db.getAll(...refs)).map((snapshot) => snapshot.data());
        const byId = (offset: number): Map<string, Doc> =>
          new Map(
            IDS.flatMap((id, i) => {
              const doc = stored[offset + i];
              return doc ? [[id, doc] as const] : [];
            }),
          );
        const store: Store = {
          drivers: new Map(stored[0] ? [[user.uid, stored[0]]] : []),
          trips: byId(1),
          shipments: byId(1 + IDS.length),
          tasks: byId(1 + 2 * IDS.length),
        };

        const calledAt = nowSeconds();
        const answer = await callTokenFunction(user.idToken, s.data);
        if (answer.result === undefined) {
          expect(answer.status).not.toBe(500);
          expect(DOCUMENTED.has(answer.error?.status ?? ""), `status ${answer.error?.status}`).toBe(
            true,
          );
          count(answer.error?.status ?? "?");
          return;
        }
        const request = JSON.parse(JSON.stringify(s.data)) as Record<string, unknown>;
        const { type, authorization, token } = answer.result;
        count(`issued ${type}`);
        expect(type).toBe(request.type);
        // Not enabled in functions/.env: opt-in only (issue 19).
        expect(type).not.toBe("trustedDeliveryDriver");
        expect(Object.keys(authorization).sort()).toEqual(claimKeys(request));
        expect(Object.values(authorization).some((v) => v.includes("*"))).toBe(
          OPERATOR_TYPES.has(type),
        );
        expect(
          unjustifiedIssue(store, { uid: user.uid, claims }, request, authorization),
        ).toBeUndefined();
        await verifyFleetEngineToken(token, key.publicKey, {
          account: key.email,
          keyId: key.keyId,
          authorization,
          ttlSeconds: TTL_SECONDS,
          issuedBetween: [calledAt - TTL_SECONDS / 2, nowSeconds() + 1], // cached: half a lifetime left
        });
      }),
      { numRuns: RUNS },
    );

    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `fuzz (emulators, HTTP): ${total} cases: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
    );
    expect(total).toBe(RUNS);
    expect(
      [...outcomes.keys()].filter((k) => k.startsWith("issued")).length,
    ).toBeGreaterThanOrEqual(DEFAULT_ENABLED_TOKEN_TYPES.length - 1);
  }, 600_000);
});
