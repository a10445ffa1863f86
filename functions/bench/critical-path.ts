import { randomUUID } from "node:crypto";
import { GoogleAuth } from "google-auth-library";
import { deleteApp, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { TokenCache } from "../src/cache/token-cache.js";
import { RuntimeCredentials } from "../src/credentials/runtime-credentials.js";
import { FirestoreAssignmentRepository } from "../src/entitlement/assignments.js";
import { FirestoreRestDocuments } from "../src/entitlement/firestore-rest.js";
import { handleGetFleetEngineToken, type HandlerDeps, type Services } from "../src/handler.js";
import { FirebaseSessionChecker } from "../src/identity/session.js";
import { createLogs } from "../src/logs.js";
import { createIamSignerSet } from "../src/signing/signer-set.js";
import { buildClaims } from "../src/token/claims.js";
import { createUser } from "../test/support/auth-emulator.js";
import { PROJECT_ID, requireEmulatorEnv } from "../test/support/emulator-env.js";
import { adminFirestore } from "../test/support/firestore-admin.js";
import { startFakeIamServer } from "../test/support/fake-iam-server.js";
import {
  metadataServerEnv,
  startFakeMetadataServer,
} from "../test/support/fake-metadata-server.js";
import { discardingSink } from "./fixtures.js";
import { startLatencyProxy } from "./latency-proxy.js";
import { median, nowMs } from "./measure.js";

/** Round trips as a Cloud Functions instance sees them in its own region (docs/performance.md). */
export const LATENCY = { authMs: 30, firestoreMs: 20, iamMs: 60 } as const;

const ACCOUNT = "fe-consumer@demo-bench.iam.gserviceaccount.com";

export interface CriticalPathResult {
  calls: number;
  /** Medians of each backend call alone, through the same clients and the same delays. */
  authAloneMs: number;
  readAloneMs: number;
  signAloneMs: number;
  /** Medians of the whole handler. */
  hitMs: number;
  missMs: number;
}

/**
 * The latency a caller waits for, against backends with fixed round trips: the real
 * firebase-admin Auth client and the function's Firestore REST reader (as runtime.ts builds it)
 * talk to the real Auth and Firestore emulators through proxies that delay every request by 30
 * and 20 ms; the real IAM signer (google-auth-library) talks to the fake IAM Credentials server,
 * which answers after 60 ms. Runs inside `firebase emulators:exec`.
 *
 * Baselines, measured in alternation with the handler: each call alone through the same client
 * and proxy. A cache hit should cost the longest lookup alone (Auth and Firestore concurrently),
 * a miss that plus one signJwt.
 */
export async function measureCriticalPath(calls: number): Promise<CriticalPathResult> {
  const emulators = requireEmulatorEnv();
  const rider = await createUser("bench-critical");
  const prefix = `bench-critical-${randomUUID().slice(0, 8)}`;
  const trips = Array.from({ length: calls + 2 }, (_, i) => `${prefix}-${i}`);
  const db = adminFirestore();
  const batch = db.batch();
  for (const tripId of trips) {
    batch.set(db.doc(`trips/${tripId}`), { consumerUids: [rider.uid], status: "NEW" });
  }
  await batch.commit();

  const authProxy = await startLatencyProxy(emulators.auth, LATENCY.authMs);
  const firestoreProxy = await startLatencyProxy(emulators.firestore, LATENCY.firestoreMs);
  const iam = await startFakeIamServer();
  iam.setDefault({ kind: "delay", ms: LATENCY.iamMs });
  const metadata = await startFakeMetadataServer({
    runtimeAccount: ACCOUNT,
    projectId: PROJECT_ID,
  });
  const saved = { ...process.env };
  Object.assign(process.env, metadataServerEnv(metadata, PROJECT_ID), {
    FIREBASE_AUTH_EMULATOR_HOST: authProxy.host,
    FIRESTORE_EMULATOR_HOST: firestoreProxy.host,
  });
  const app = initializeApp({ projectId: PROJECT_ID }, `bench-critical-${randomUUID()}`);
  try {
    // Firestore's REST API, one GET per read, as runtime.ts reads it.
    const documents = new FirestoreRestDocuments({
      projectId: PROJECT_ID,
      baseUrl: `http://${firestoreProxy.host}`,
      authorization: async () => "Bearer owner",
    });
    const auth = getAuth(app);
    // The function's credentials, as runtime.ts builds them (bounded metadata-server lookups).
    const credentials = new RuntimeCredentials({
      newAuth: async () =>
        new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }),
    });
    const signers = createIamSignerSet(
      {
        signerAccounts: {
          driver: ACCOUNT,
          consumer: ACCOUNT,
          deliveryDriver: ACCOUNT,
          trustedDeliveryDriver: ACCOUNT,
          deliveryConsumer: ACCOUNT,
          fleetReader: ACCOUNT,
          deliveryFleetReader: ACCOUNT,
        },
      },
      credentials,
      { baseUrl: iam.url },
    );
    const clock = { nowMillis: () => Date.now() };
    const services: Services = {
      ttlSeconds: 3600,
      checkRevokedTokens: true,
      sessions: new FirebaseSessionChecker(async () => auth),
      assignments: new FirestoreAssignmentRepository({
        documents: async () => documents,
        collections: {
          drivers: "drivers",
          trips: "trips",
          shipments: "shipments",
          tasks: "tasks",
        },
      }),
      signers,
      cache: new TokenCache({ clock, maxEntries: 10_000, minRemainingFraction: 0.5 }),
    };
    const deps: HandlerDeps = {
      clock,
      logs: createLogs(discardingSink),
      services: async () => services,
    };
    // The claims the framework would have verified: the emulator's ID token, decoded.
    const claims = JSON.parse(
      Buffer.from(rider.idToken.split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as Record<string, unknown>;
    const request = (tripId: string) => ({
      data: { type: "consumer", tripId },
      auth: { uid: rider.uid, token: claims, rawToken: rider.idToken },
    });
    const timed = async (work: () => Promise<unknown>): Promise<number> => {
      const started = nowMs();
      await work();
      return nowMs() - started;
    };
    const signer = signers.forType("consumer");
    const authAlone = () => services.sessions.currentSession(rider.uid, claims.auth_time);
    const readAlone = () => services.assignments.getTrip(trips[0] ?? "");
    const signAlone = () =>
      signer.signJwt(buildClaims(ACCOUNT, { tripid: `alone-${randomUUID()}` }, Date.now(), 3600));

    // Warm-up: connections, access token, lazy imports, and the hit's cached token.
    for (let i = 0; i < 3; i++) {
      await authAlone();
      await readAlone();
      await signAlone();
    }
    await handleGetFleetEngineToken(request(trips[0] ?? ""), deps);

    const samples = { auth: [] as number[], read: [] as number[], sign: [] as number[] };
    const handler = { hit: [] as number[], miss: [] as number[] };
    for (let i = 0; i < calls; i++) {
      samples.auth.push(await timed(authAlone));
      samples.read.push(await timed(readAlone));
      samples.sign.push(await timed(signAlone));
      handler.hit.push(await timed(() => handleGetFleetEngineToken(request(trips[0] ?? ""), deps)));
      handler.miss.push(
        await timed(() => handleGetFleetEngineToken(request(trips[i + 1] ?? ""), deps)),
      );
    }
    // The delays apply only if the clients really went through the proxies.
    if (authProxy.bytesForwarded() === 0 || firestoreProxy.bytesForwarded() === 0) {
      throw new Error("the Auth or Firestore client bypassed its latency proxy");
    }
    return {
      calls,
      authAloneMs: median(samples.auth),
      readAloneMs: median(samples.read),
      signAloneMs: median(samples.sign),
      hitMs: median(handler.hit),
      missMs: median(handler.miss),
    };
  } finally {
    process.env = saved;
    await deleteApp(app);
    await Promise.all([authProxy.close(), firestoreProxy.close(), iam.close(), metadata.close()]);
  }
}
