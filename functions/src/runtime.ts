import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
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

const firestore = once(async (): Promise<Firestore> => {
  const { getFirestore } = await import("firebase-admin/firestore");
  return getFirestore(await adminApp());
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
