import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ID, requireEmulatorEnv } from "../support/emulator-env.js";

/**
 * firestore.rules against Google's Firestore emulator, with the client SDK as each kind of user.
 * Deny by default; the assignment collections are server-owned (no client writes them, whatever
 * their names); a user reads only their own driver document and the trips, shipments and tasks
 * that list them in consumerUids.
 */

const RULES = readFileSync(path.resolve(__dirname, "..", "..", "..", "firestore.rules"), "utf8");

const UID = {
  driver: "rules-driver",
  otherDriver: "rules-other-driver",
  rider: "rules-rider",
  otherRider: "rules-other-rider",
  operator: "rules-operator",
} as const;

type User = keyof typeof UID | "signedOut";
const USERS: User[] = ["driver", "otherDriver", "rider", "otherRider", "operator", "signedOut"];

let env: RulesTestEnvironment;

beforeAll(async () => {
  const [host, port] = requireEmulatorEnv().firestore.split(":");
  env = await initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: { rules: RULES, host: host ?? "127.0.0.1", port: Number(port) },
  });
  await env.withSecurityRulesDisabled(async (admin) => {
    const db = admin.firestore();
    await setDoc(doc(db, "drivers", UID.driver), {
      vehicleId: "rules-v1",
      deliveryVehicleId: "rules-dv1",
      active: true,
    });
    await setDoc(doc(db, "drivers", UID.otherDriver), { vehicleId: "rules-v2", active: true });
    await setDoc(doc(db, "trips", "rules-trip"), { consumerUids: [UID.rider], status: "NEW" });
    await setDoc(doc(db, "shipments", "rules-shipment"), { consumerUids: [UID.rider] });
    await setDoc(doc(db, "tasks", "rules-task"), {
      deliveryVehicleId: "rules-dv1",
      consumerUids: UID.rider, // one uid string: the other shape of a consumers field
    });
    // A renamed assignment collection (DRIVERS_COLLECTION=fleet_drivers) and an unrelated one.
    await setDoc(doc(db, "fleet_drivers", UID.driver), { vehicleId: "rules-v1" });
    await setDoc(doc(db, "notes", "n1"), { text: "hello" });
  });
});

afterAll(async () => {
  await env.cleanup();
});

function context(user: User): RulesTestContext {
  if (user === "signedOut") return env.unauthenticatedContext();
  return env.authenticatedContext(UID[user], user === "operator" ? { fleetReader: true } : {});
}

/** The user's Firestore client; rules-unit-testing types it as compat, the modular API takes it. */
function firestoreAs(user: User): Firestore {
  return context(user).firestore() as unknown as Firestore;
}

type Operation = (db: Firestore, uid: string | undefined) => Promise<unknown>;

/** Every operation a client could try, per collection. */
const OPERATIONS: Record<string, Record<string, Operation>> = {
  drivers: {
    "get the driver's document": (db) => getDoc(doc(db, "drivers", UID.driver)),
    "get the other driver's document": (db) => getDoc(doc(db, "drivers", UID.otherDriver)),
    "list drivers": (db) => getDocs(collection(db, "drivers")),
    "create a driver document for itself": (db, uid) =>
      setDoc(doc(db, "drivers", uid ?? "anonymous"), { vehicleId: "stolen" }),
    "update the driver's document": (db) =>
      updateDoc(doc(db, "drivers", UID.driver), { active: true }),
    "delete the driver's document": (db) => deleteDoc(doc(db, "drivers", UID.driver)),
  },
  trips: {
    "get the trip": (db) => getDoc(doc(db, "trips", "rules-trip")),
    "list its own trips": (db, uid) =>
      getDocs(query(collection(db, "trips"), where("consumerUids", "array-contains", uid ?? ""))),
    "list all trips": (db) => getDocs(collection(db, "trips")),
    "create a trip listing itself": (db, uid) =>
      setDoc(doc(db, "trips", `new-${uid ?? "anonymous"}`), { consumerUids: [uid ?? ""] }),
    "add itself to the trip": (db, uid) =>
      updateDoc(doc(db, "trips", "rules-trip"), { consumerUids: [UID.rider, uid ?? ""] }),
    "delete the trip": (db) => deleteDoc(doc(db, "trips", "rules-trip")),
  },
  shipments: {
    "get the shipment": (db) => getDoc(doc(db, "shipments", "rules-shipment")),
    "list its own shipments": (db, uid) =>
      getDocs(
        query(collection(db, "shipments"), where("consumerUids", "array-contains", uid ?? "")),
      ),
    "list all shipments": (db) => getDocs(collection(db, "shipments")),
    "create a shipment listing itself": (db, uid) =>
      setDoc(doc(db, "shipments", `new-${uid ?? "anonymous"}`), { consumerUids: [uid ?? ""] }),
    "add itself to the shipment": (db, uid) =>
      updateDoc(doc(db, "shipments", "rules-shipment"), { consumerUids: [UID.rider, uid ?? ""] }),
    "delete the shipment": (db) => deleteDoc(doc(db, "shipments", "rules-shipment")),
  },
  tasks: {
    "get the task": (db) => getDoc(doc(db, "tasks", "rules-task")),
    "list its own tasks": (db, uid) =>
      getDocs(query(collection(db, "tasks"), where("consumerUids", "==", uid ?? ""))),
    "list all tasks": (db) => getDocs(collection(db, "tasks")),
    "list its vehicle's tasks": (db) =>
      getDocs(query(collection(db, "tasks"), where("deliveryVehicleId", "==", "rules-dv1"))),
    "create a task on its vehicle": (db, uid) =>
      setDoc(doc(db, "tasks", `new-${uid ?? "anonymous"}`), {
        deliveryVehicleId: "rules-dv1",
        consumerUids: [uid ?? ""],
      }),
    "move the task to another vehicle": (db) =>
      updateDoc(doc(db, "tasks", "rules-task"), { deliveryVehicleId: "rules-v2" }),
    "delete the task": (db) => deleteDoc(doc(db, "tasks", "rules-task")),
  },
  "a renamed assignment collection (fleet_drivers)": {
    "get its own document": (db, uid) => getDoc(doc(db, "fleet_drivers", uid ?? "anonymous")),
    "write its own document": (db, uid) =>
      setDoc(doc(db, "fleet_drivers", uid ?? "anonymous"), { vehicleId: "stolen" }),
  },
  "any other collection": {
    "read a document": (db) => getDoc(doc(db, "notes", "n1")),
    "write a document": (db) => setDoc(doc(db, "notes", "n2"), { text: "spam" }),
  },
};

/**
 * The only allowed operations; everything else, for everyone, is denied. Any signed-in user may
 * query for the trips and shipments that list them: the rules admit the query because every
 * document it could return lists the caller (for most users it returns nothing; see below).
 */
const OWN_QUERIES = ["list its own trips", "list its own shipments", "list its own tasks"];
const ALLOWED: Record<User, string[]> = {
  // A task is server-owned: the driver of its vehicle reads it from Fleet Engine, not here.
  driver: ["get the driver's document", ...OWN_QUERIES],
  otherDriver: ["get the other driver's document", ...OWN_QUERIES],
  rider: ["get the trip", "get the shipment", "get the task", ...OWN_QUERIES],
  otherRider: OWN_QUERIES,
  operator: OWN_QUERIES,
  signedOut: [],
};

const cases = Object.entries(OPERATIONS).flatMap(([collectionName, operations]) =>
  Object.entries(operations).flatMap(([operation, run]) =>
    USERS.map((user) => ({
      collectionName,
      operation,
      run,
      user,
      allowed: ALLOWED[user].includes(operation),
    })),
  ),
);

describe("firestore.rules", () => {
  it.each(cases)(
    "$collectionName: $user may $operation? $allowed",
    async ({ run, user, allowed }) => {
      const uid = user === "signedOut" ? undefined : UID[user];
      const attempt = run(firestoreAs(user), uid);
      if (allowed) await assertSucceeds(attempt);
      else await assertFails(attempt);
    },
  );

  it("covers every kind of user and both outcomes", () => {
    expect(new Set(cases.map((c) => c.user))).toEqual(new Set(USERS));
    expect(cases.filter((c) => c.allowed)).toHaveLength(20);
    expect(cases.filter((c) => !c.allowed).length).toBeGreaterThan(100);
  });

  it("an allowed query for one's own trips returns only one's own", async () => {
    const mine = async (user: User, name: string) =>
      (
        await getDocs(
          query(
            collection(firestoreAs(user), name),
            where("consumerUids", "array-contains", UID[user as keyof typeof UID]),
          ),
        )
      ).docs.map((snapshot) => snapshot.id);
    expect(await mine("rider", "trips")).toEqual(["rules-trip"]);
    expect(await mine("otherRider", "trips")).toEqual([]);
    expect(await mine("driver", "shipments")).toEqual([]);
    const tasks = async (user: keyof typeof UID) =>
      (
        await getDocs(
          query(collection(firestoreAs(user), "tasks"), where("consumerUids", "==", UID[user])),
        )
      ).docs.map((snapshot) => snapshot.id);
    expect(await tasks("rider")).toEqual(["rules-task"]);
    expect(await tasks("otherRider")).toEqual([]);
  });

  it("control: the write denied to the driver succeeds with rules disabled, so the denial is the rules'", async () => {
    await assertFails(
      updateDoc(doc(firestoreAs("driver"), "drivers", UID.driver), { active: true }),
    );
    await env.withSecurityRulesDisabled(async (admin) => {
      await assertSucceeds(
        updateDoc(doc(admin.firestore(), "drivers", UID.driver), { active: true }),
      );
    });
  });

  it("control: assertFails itself fails on an allowed read, so a passing denial is meaningful", async () => {
    const allowedRead = getDoc(doc(firestoreAs("rider"), "trips", "rules-trip"));
    await expect(assertFails(allowedRead)).rejects.toThrow();
  });
});
