#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: the real local stack. Starts the Auth, Firestore, Functions and Hosting (demo
 * page) emulators for demo-fleet-engine on 127.0.0.1, makes the dev signing key if missing,
 * seeds the demo accounts and assignments at the collection and field names of the params
 * (functions/.env, .env.demo-fleet-engine, .env.local), and prints how to get a token, at the
 * callable's URL in the REGION param's region. Ctrl-C stops
 * everything.
 */
import path from "node:path";
import { DEMO_USERS } from "./lib/demo-data.mjs";
import { ensureDevKey } from "./lib/dev-key.mjs";
import { ParamError, emulatorDataModel, envFiles } from "./lib/params.mjs";
import { HOST, PORTS, ROOT, callableUrl, demoPageUrl, devKeyFile } from "./lib/paths.mjs";
import { seedDemoData } from "./lib/seed.mjs";
import {
  EMULATORS,
  LOG_DIR,
  StackError,
  loudFailure,
  prepareStack,
  runFirebase,
} from "./lib/stack.mjs";

const READY_TIMEOUT_MS = 180_000;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once every emulator answers and the callable is loaded. */
async function waitUntilReady() {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const checks = [
    async () => (await fetch(`http://${HOST}:${PORTS.auth}/`)).ok,
    async () => (await fetch(`http://${HOST}:${PORTS.firestore}/`)).ok,
    async () => (await fetch(demoPageUrl())).ok,
    // An unauthenticated call answers 401 once the function is loaded (404 before).
    async () =>
      (
        await fetch(callableUrl(), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"data":{}}',
        })
      ).status === 401,
  ];
  while (Date.now() < deadline) {
    const results = await Promise.all(checks.map((check) => check().catch(() => false)));
    if (results.every(Boolean)) return;
    await sleep(500);
  }
  throw new StackError(`The emulators did not become ready within ${READY_TIMEOUT_MS / 1000} s.`);
}

/**
 * The account whose demo command is printed: the rider while consumer tokens are served,
 * otherwise the first account whose own type is.
 * @param {readonly string[]} enabledTypes
 */
function demoAccount(enabledTypes) {
  const rider = DEMO_USERS.find((user) => user.uid === "demo-rider");
  if (rider && enabledTypes.includes(rider.request.type ?? "")) return rider;
  return DEMO_USERS.find((user) => enabledTypes.includes(user.request.type ?? "")) ?? rider;
}

/** @param {import("./lib/params.mjs").DataModel} model */
function describeModel(model) {
  const { collections: c, fields: f } = model;
  return [
    `Params: ${envFiles()
      .map((file) => path.relative(ROOT, file))
      .join(", ")}`,
    `  region ${model.region}; token types ${model.enabledTypes.join(", ")}`,
    `  ${c.drivers}/{uid}: ${f.driverVehicle}, ${f.driverDeliveryVehicle}, ${f.driverActive}`,
    `  ${c.trips}/{tripId}: ${f.tripConsumers}, ${f.tripStatus}`,
    `  ${c.shipments}/{trackingId}: ${f.shipmentConsumers}`,
  ];
}

/** @param {import("./lib/params.mjs").DataModel} model */
function printWelcome(model) {
  const keyFile = path.relative(ROOT, devKeyFile());
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  const account = demoAccount(model.enabledTypes);
  const riderCommands = account?.uid === "demo-rider";
  const lines = [
    "",
    ...describeModel(model),
    "",
    "Demo accounts (Auth emulator), all with the password shown:",
    ...DEMO_USERS.map((u) => `  ${u.email.padEnd(width)}  ${u.password}  ${u.role}`),
    "",
    `Tokens are signed with the local dev key ${keyFile} (emulator only).`,
    "",
    `✔ Fleet Engine token service ready: ${callableUrl()}`,
    "",
    `Demo page (sign in, watch tokens being minted and refreshed): ${demoPageUrl()}`,
    "",
    `Get a token as the demo ${riderCommands ? "rider" : "account"} (copy and paste in another terminal):`,
    "",
    `  node scripts/demo-token.mjs ${account?.email ?? ""}`,
    "",
    ...(riderCommands
      ? [
          "Someone else's trip is refused:  node scripts/demo-token.mjs rider@demo.test consumer trip-2",
        ]
      : []),
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.join("\n"));
}

try {
  // The data model first: a param the function would refuse stops here, naming it.
  const model = emulatorDataModel();
  const keyFile = devKeyFile();
  const { created } = ensureDevKey(keyFile);
  if (created) console.log(`Generated the local dev signing key ${path.relative(ROOT, keyFile)}.`);
  const stack = await prepareStack();
  console.log(`Firestore emulator: ${stack.firestoreSource}`);
  const { child, exited } = runFirebase(["emulators:start", "--only", EMULATORS.join(",")], {
    env: { ...process.env, ...stack.env },
    logFile: path.join(LOG_DIR, "emulators-start.log"),
    echoFunctionLogs: true,
  });
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
    process.on(signal, () => child.kill("SIGINT"));
  }
  const early = exited.then((code) => {
    throw new StackError(
      `firebase emulators:start exited (code ${code}) before the stack was ready; see above.`,
    );
  });
  await Promise.race([waitUntilReady(), early]);
  await seedDemoData(model);
  printWelcome(model);
  early.catch(() => undefined);
  process.exit(await exited);
} catch (error) {
  if (error instanceof StackError || error instanceof ParamError) {
    loudFailure(error.message);
    process.exit(1);
  }
  throw error;
}
