import { sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { HttpsError, onCall } from "firebase-functions/https";
import { readInput, report } from "./report.js";

/**
 * Child process: the baseline. The same callable as a user would write it by hand from the
 * Firebase docs, with firebase-admin's defaults: initializeApp() and the clients at module load,
 * verifyIdToken(raw, true) for revocation, a Firestore get() over the default gRPC transport,
 * an ownership check, and one RS256 signature with node:crypto (the cheapest signer there is).
 */
const input = readInput();
// Installed as a kit, the wrapper's own code loads too (see first-call.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (input.prelude !== undefined) require(input.prelude);
initializeApp();
const db = getFirestore();
const key = JSON.parse(readFileSync(input.devKeyFile, "utf8")) as {
  client_email: string;
  private_key: string;
  private_key_id: string;
};

const getToken = onCall(async (request) => {
  if (request.auth === undefined) throw new HttpsError("unauthenticated", "sign in");
  await getAuth().verifyIdToken(request.auth.rawToken, true);
  const tripId = (request.data as { tripId: string }).tripId;
  const trip = await db.collection("trips").doc(tripId).get();
  const consumers = trip.get("consumerUids") as unknown;
  if (!Array.isArray(consumers) || !consumers.includes(request.auth.uid)) {
    throw new HttpsError("permission-denied", "not yours");
  }
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT", kid: key.private_key_id })}.${encode({
    iss: key.client_email,
    sub: key.client_email,
    aud: "https://fleetengine.googleapis.com/",
    iat: now,
    exp: now + 3600,
    authorization: { tripid: tripId },
  })}`;
  const signature = sign("sha256", Buffer.from(input), key.private_key).toString("base64url");
  return { token: `${input}.${signature}` };
});

getToken
  .run({
    data: { tripId: input.tripId },
    auth: { uid: input.uid, token: input.claims, rawToken: input.idToken },
    acceptsStreaming: false,
    rawRequest: {},
  } as unknown as Parameters<typeof getToken.run>[0])
  .then((answer) => report(answer.token))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
