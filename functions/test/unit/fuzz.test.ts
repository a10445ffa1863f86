import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenServiceError } from "../../src/errors.js";
import { handleGetFleetEngineToken, type HandlerDeps } from "../../src/handler.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner, EMULATOR_ENV } from "../../src/signing/dev-key-signer.js";
import { CapturedLogs } from "../support/capture-logs.js";
import {
  DEFAULT_LAYOUT,
  NESTED_LAYOUT,
  OPERATOR_TYPES,
  claimKeys,
  unjustifiedIssue,
  type Layout,
  type Store,
} from "../support/entitlement-oracle.js";
import {
  TYPES,
  claims,
  nestedDocument,
  onVehicleOf,
  requestData,
  storedDocument,
  wellFormedRequest,
} from "../support/fuzz-arbitraries.js";
import { createThrowawayKey } from "../support/keys.js";
import { MemoryAssignments } from "../support/memory-assignments.js";
import { verifyFleetEngineToken } from "../support/verify.js";

/**
 * Property tests of the whole handler with fast-check: hostile requests against malformed stored
 * data. Whatever comes in, a token is issued only when the stored data entitles the caller, it
 * names exactly its type's claim keys, wildcards appear only for operators, and every failure is
 * a documented client code, never `internal`.
 */

const RUNS = 10_000;
const UIDS = ["u-alice", "u-bob", "u-carol"] as const;
const IDS = ["v-1", "v-2", "t-1", "t-2", "k-1", "k-2"] as const;
const DOCUMENTED = new Set(["unauthenticated", "invalid-argument", "permission-denied"]);
const key = createThrowawayKey("fuzz@demo-test.iam.gserviceaccount.com");
const signer = new DevKeySigner(key.file, EMULATOR_ENV);

function scenarioFor(layout: Layout) {
  const document =
    layout === DEFAULT_LAYOUT ? storedDocument(UIDS, IDS) : nestedDocument(UIDS, IDS, layout);
  const documents = (count: number) =>
    fc.dictionary(fc.constantFrom(...IDS), document, { maxKeys: count });
  return fc.record({
    uid: fc.constantFrom(...UIDS),
    claims,
    data: fc.oneof(
      { weight: 1, arbitrary: requestData(IDS) },
      { weight: 1, arbitrary: wellFormedRequest(IDS) },
    ),
    drivers: fc.dictionary(fc.constantFrom(...UIDS), document, { maxKeys: 3 }),
    trips: documents(4),
    shipments: documents(4),
    tasks: documents(5),
    // Tasks put on the caller's delivery vehicle (whatever their driver document holds there),
    // so that trusted drivers' tasks are issued, not only refused.
    onCallersVehicle: fc.subarray([...IDS], { minLength: 1 }),
  });
}

describe("fuzzing the handler", () => {
  it.each([
    ["the default field names", DEFAULT_LAYOUT],
    ["nested field paths whose parents may be anything", NESTED_LAYOUT],
  ])(
    `holds its properties over ${RUNS} generated cases, with %s`,
    async (name, layout) => {
      const outcomes = new Map<string, number>();
      const issuedTypes = new Set<string>();
      const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);

      await fc.assert(
        fc.asyncProperty(scenarioFor(layout), async (s) => {
          const tasks = new Map(Object.entries(s.tasks));
          for (const taskId of s.onCallersVehicle) {
            tasks.set(taskId, onVehicleOf(s.drivers[s.uid], tasks.get(taskId) ?? {}, layout));
          }
          const store: Store = {
            drivers: new Map(Object.entries(s.drivers)),
            trips: new Map(Object.entries(s.trips)),
            shipments: new Map(Object.entries(s.shipments)),
            tasks,
          };
          const assignments = new MemoryAssignments();
          for (const [name, map] of Object.entries(store)) {
            for (const [id, doc] of map as Map<string, Record<string, unknown>>) {
              (assignments[name as keyof Store] as Map<string, unknown>).set(id, doc);
            }
          }
          const logs = new CapturedLogs();
          const deps: HandlerDeps = {
            clock: { nowMillis: () => Date.now() },
            logs: createLogs(logs),
            services: async () => ({
              ttlSeconds: 900,
              checkRevokedTokens: false,
              sessions: { currentSession: async () => ({ customClaims: {} }) },
              assignments,
              fields: layout,
              signers: { forType: () => signer },
            }),
          };
          const request = {
            data: s.data,
            auth: { uid: s.uid, token: { uid: s.uid, ...s.claims }, rawToken: "r" },
          };
          const issuedAt = Math.floor(Date.now() / 1000);
          const outcome = await handleGetFleetEngineToken(request, deps).then(
            (response) => ({ response }),
            (error: unknown) => ({ error }),
          );

          expect(logs.entries).toHaveLength(1);
          // At most the reads a decision needs: two only for a trusted driver naming a task.
          const asked = (typeof s.data === "object" && s.data !== null ? s.data : {}) as Record<
            string,
            unknown
          >;
          const twoReads = asked.type === "trustedDeliveryDriver" && asked.taskId !== undefined;
          expect(assignments.reads).toBeLessThanOrEqual(twoReads ? 2 : 1);
          if ("error" in outcome) {
            expect(outcome.error).toBeInstanceOf(TokenServiceError);
            const code = (outcome.error as TokenServiceError).clientCode;
            expect(DOCUMENTED.has(code), `undocumented code ${code}`).toBe(true);
            count(code);
            return;
          }
          const { response } = outcome;
          const data = s.data as Record<string, unknown>;
          const type = response.type;
          const byTask = response.authorization.taskid !== undefined && !OPERATOR_TYPES.has(type);
          issuedTypes.add(byTask ? `${type} with a task` : type);
          count(`issued ${type}${byTask ? " with a task" : ""}`);
          expect(type).toBe(data.type);
          expect(Object.keys(response.authorization).sort()).toEqual(claimKeys(data));
          const wildcard = Object.values(response.authorization).some((value) =>
            value.includes("*"),
          );
          expect(wildcard).toBe(OPERATOR_TYPES.has(type));
          expect(
            unjustifiedIssue(
              store,
              { uid: s.uid, claims: s.claims },
              data,
              response.authorization,
              layout,
            ),
          ).toBeUndefined();
          await verifyFleetEngineToken(response.token, key.publicKey, {
            account: key.email,
            keyId: key.keyId,
            authorization: response.authorization,
            ttlSeconds: 900,
            issuedBetween: [issuedAt - 1, issuedAt + 60],
          });
        }),
        { numRuns: RUNS },
      );

      const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
      console.log(
        `fuzz (unit, ${name}): ${total} cases: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
      );
      expect(total).toBe(RUNS);
      // Not a vacuous run: every type issued, and both kinds of task token.
      expect([...issuedTypes].sort()).toEqual(
        [...TYPES, "trustedDeliveryDriver with a task", "deliveryConsumer with a task"].sort(),
      );
    },
    300_000,
  );
});
