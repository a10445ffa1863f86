import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { Firestore, Settings } from "firebase-admin/firestore";
import { TokenCache } from "./cache/token-cache.js";
import { systemClock } from "./clock.js";
import { loadConfig, type Config } from "./config.js";
import { FirestoreAssignmentRepository } from "./entitlement/assignments.js";
import type { HandlerDeps, Services } from "./handler.js";
import { FirebaseIdTokenVerifier } from "./identity/id-token-verifier.js";
import { createLogs, type LogSink } from "./logs.js";
import { once } from "./once.js";
import { devKeyFilePath, isFunctionsEmulator } from "./signing/dev-key-signer.js";
import { createDevKeySignerSet, createIamSignerSet } from "./signing/signer-set.js";
import type { SignerSet } from "./signing/signer.js";

/**
 * Production wiring, itself loaded on the first call (index.ts). firebase-admin and
 * google-auth-library are imported when first needed, once per instance: an operator token
 * never loads Firestore.
 */

const adminApp = once(async (): Promise<App> => {
  const { getApps, initializeApp } = await import("firebase-admin/app");
  return getApps()[0] ?? initializeApp();
});

/**
 * Firestore over REST (HTTP/1.1 + JSON) instead of gRPC: a document get is all we do, and the
 * first request of a fresh instance costs far less CPU without gRPC (docs/performance.md).
 * Against the emulator the REST client would still ask Application Default Credentials for a
 * token the emulator ignores, and fail where there are none (googleapis/nodejs-firestore#1811):
 * there it gets an auth client that adds nothing, and Firestore sends the emulator's own
 * `Bearer owner` header as it does over gRPC.
 */
export function firestoreSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  if (!env.FIRESTORE_EMULATOR_HOST) return { preferRest: true };
  return { preferRest: true, auth: { getRequestHeaders: async () => ({}) } };
}

const firestore = once(async (): Promise<Firestore> => {
  const { getFirestore } = await import("firebase-admin/firestore");
  const db = getFirestore(await adminApp());
  db.settings(firestoreSettings()); // before first use: settings() throws once a request ran
  return db;
});

const auth = once(async (): Promise<Auth> => {
  const { getAuth } = await import("firebase-admin/auth");
  return getAuth(await adminApp());
});

/** IAM in production; in the Functions emulator only, the local dev key (see dev-key-signer). */
async function signers(config: Config): Promise<SignerSet> {
  if (isFunctionsEmulator()) return createDevKeySignerSet(devKeyFilePath());
  const { GoogleAuth } = await import("google-auth-library");
  const googleAuth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return createIamSignerSet(config, googleAuth);
}

export function createRuntimeDeps(sink: LogSink): HandlerDeps {
  return {
    clock: systemClock,
    logs: createLogs(sink),
    services: once(async (): Promise<Services> => {
      const config = loadConfig();
      return {
        ttlSeconds: config.ttlSeconds,
        checkRevokedTokens: config.checkRevokedTokens,
        idTokens: new FirebaseIdTokenVerifier(auth),
        assignments: new FirestoreAssignmentRepository({
          firestore,
          collections: config.collections,
        }),
        signers: await signers(config),
        cache: new TokenCache({ clock: systemClock, ...config.cache }),
      };
    }),
  };
}
