#!/usr/bin/env node
// @ts-check
/**
 * Signs in a demo user through the Auth emulator, calls getFleetEngineToken, and prints the
 * minted token decoded, its signature checked against the dev key's public half.
 *
 *   node scripts/demo-token.mjs [email] [type] [resource ID | field=ID ...]
 *
 *   node scripts/demo-token.mjs rider@demo.test                     # their trip, trip-1
 *   node scripts/demo-token.mjs rider@demo.test consumer trip-2     # someone else's: refused
 *   node scripts/demo-token.mjs operator@demo.test deliveryFleetReader
 *   node scripts/demo-token.mjs rider@demo.test deliveryConsumer taskId=task-1
 *   node scripts/demo-token.mjs delivery-driver@demo.test trustedDeliveryDriver task-1
 *
 * A bare ID goes into the type's usual field (ID_FIELD); `field=ID` names the field, e.g.
 * `taskId=task-1` for a delivery consumer who follows a task rather than a tracking ID.
 */
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DEMO_USERS } from "./lib/demo-data.mjs";
import { callToken, signIn } from "./lib/emulator-rest.mjs";
import { emulatorParams, ENABLED_TYPES_PARAM } from "./lib/params.mjs";
import { ROOT, devKeyFile } from "./lib/paths.mjs";

/** @type {Record<string, string>} */
const ID_FIELD = {
  driver: "vehicleId",
  consumer: "tripId",
  deliveryDriver: "deliveryVehicleId",
  // A trusted driver's vehicle is their own anyway: what the demo names is a task of it.
  trustedDeliveryDriver: "taskId",
  deliveryConsumer: "trackingId",
};

const [email = "driver@demo.test", typeArg, ...idArgs] = process.argv.slice(2);
const user = DEMO_USERS.find((candidate) => candidate.email === email);
if (!user) {
  console.error(
    `Unknown demo account ${email}. Demo accounts: ${DEMO_USERS.map((u) => u.email).join(", ")}`,
  );
  process.exit(2);
}

/** @type {Record<string, string>} */
const request = typeArg ? { type: typeArg } : { ...user.request };
for (const arg of idArgs) {
  const named = /^([A-Za-z]+)=(.*)$/.exec(arg);
  const field = named ? named[1] : ID_FIELD[request.type];
  if (field) request[field] = named ? named[2] : arg;
}

/** @param {string} segment */
const decode = (segment) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

try {
  const idToken = await signIn(user.email, user.password);
  console.log(`Signed in as ${user.email} (uid ${user.uid}) through the Auth emulator.`);
  console.log(`Request:  getFleetEngineToken(${JSON.stringify(request)})`);
  const answer = await callToken(idToken, request);
  if (!answer.result) {
    const status = answer.error?.status ?? `HTTP ${answer.status}`;
    console.log(
      `Refused:  ${status.toLowerCase().replace(/_/g, "-")}: ${answer.error?.message ?? ""}`,
    );
    const enabled = emulatorParams()[ENABLED_TYPES_PARAM.name];
    if (enabled !== undefined && !enabled.split(",").some((t) => t.trim() === request.type)) {
      console.log(`          (this stack serves only ${enabled}: ENABLED_TOKEN_TYPES;`);
      console.log(
        `          to try ${request.type}, add it to ENABLED_TOKEN_TYPES in functions/.env.local` +
          " and restart npm start)",
      );
    }
    process.exit(1);
  }
  const { token, type, authorization, expiresInSeconds, expiresAtMillis } = answer.result;
  const [header, payload, signature] = token.split(".");
  console.log(
    `Response: type ${type}, expiresInSeconds ${expiresInSeconds}, ` +
      `expiresAtMillis ${expiresAtMillis} (${new Date(expiresAtMillis).toISOString()})`,
  );
  console.log(`          authorization ${JSON.stringify(authorization)}`);
  console.log(`Header:   ${JSON.stringify(decode(header))}`);
  console.log(
    `Claims:   ${JSON.stringify(decode(payload), null, 2).replace(/\n/g, "\n          ")}`,
  );
  const keyFile = devKeyFile();
  const key = JSON.parse(readFileSync(keyFile, "utf8"));
  const valid = verify(
    "RSA-SHA256",
    Buffer.from(`${header}.${payload}`),
    createPublicKey(key.private_key),
    Buffer.from(signature, "base64url"),
  );
  console.log(
    `Signature: ${valid ? "verified" : "DOES NOT VERIFY"} with the public half of ${path.relative(ROOT, keyFile)}`,
  );
  console.log(`Token:    ${token}`);
  process.exit(valid ? 0 : 1);
} catch (error) {
  console.error(`Could not get a token: ${error instanceof Error ? error.message : error}`);
  console.error("Is `npm start` running?");
  process.exit(1);
}
