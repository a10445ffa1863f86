import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { TokenCache } from "./cache/token-cache.js";
import { systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { FirestoreAssignmentRepository } from "./entitlement/assignments.js";
import type { HandlerDeps, Services } from "./handler.js";
import { FirebaseIdTokenVerifier } from "./identity/id-token-verifier.js";
import { createLogs, type LogSink } from "./logs.js";
import { once } from "./once.js";
import { devKeyFilePath, isFunctionsEmulator } from "./signing/dev-key-signer.js";
import { createDevKeySignerSet, createIamSignerSet } from "./signing/signer-set.js";
import type { SignerSet } from "./signing/signer.js";

/**
 * Production wiring. Module load does no I/O and loads no heavy SDK: firebase-admin,
 * google-auth-library and jose are imported on the first call that needs them, once per instance.
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

async function signers(config: ReturnType<typeof loadConfig>): Promise<SignerSet> {
  if (isFunctionsEmulator()) return createDevKeySignerSet(devKeyFilePath());
  const { GoogleAuth } = await import("google-auth-library");
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return createIamSignerSet(config, auth);
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
