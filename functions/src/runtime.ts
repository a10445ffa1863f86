import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { TokenCache } from "./cache/token-cache.js";
import { systemClock } from "./clock.js";
import { loadConfig, runtimeServiceAccount, signerAccountParams, type Config } from "./config.js";
import { FirestoreAssignmentRepository } from "./entitlement/assignments.js";
import type { HandlerDeps, Services } from "./handler.js";
import { FirebaseSessionChecker } from "./identity/session.js";
import { createLogs, logDevKeySigning, logSharedSigner, type LogSink } from "./logs.js";
import { once } from "./once.js";
import { devKeyFilePath, isFunctionsEmulator } from "./signing/dev-key-signer.js";
import { findSharedSigners } from "./signing/shared-signers.js";
import { createDevKeySignerSet, createIamSignerSet } from "./signing/signer-set.js";
import type { SignerSet } from "./signing/signer.js";
import { TOKEN_TYPES } from "./token-types.js";

/**
 * Production wiring, itself loaded on the first call (index.ts). firebase-admin and
 * google-auth-library are imported when first needed, once per instance: an operator token
 * never loads Firestore.
 */

const adminApp = once(async (): Promise<App> => {
  const { getApp, getApps, initializeApp } = await import("firebase-admin/app");
  // The default app: whatever named apps other code made are not ours to borrow.
  return getApps().some((app) => app.name === "[DEFAULT]") ? getApp() : initializeApp();
});

const firestore = once(async (): Promise<Firestore> => {
  const { getFirestore } = await import("firebase-admin/firestore");
  return getFirestore(await adminApp());
});

const auth = once(async (): Promise<Auth> => {
  const { getAuth } = await import("firebase-admin/auth");
  return getAuth(await adminApp());
});

export interface RuntimeOptions {
  /** IAM Credentials base URL; only tests point it at a fake. */
  readonly iamBaseUrl?: string;
  /** The bound on each call; only tests shorten it. */
  readonly deadlineMs?: number;
}

/**
 * IAM in production; the local dev key only where the process really is the Functions emulator
 * (see isFunctionsEmulator: env files cannot fake that).
 */
async function signers(config: Config, sink: LogSink, options: RuntimeOptions): Promise<SignerSet> {
  if (isFunctionsEmulator()) {
    const ignored = TOKEN_TYPES.filter((type) => config.signerAccounts[type] !== undefined);
    if (ignored.length > 0) {
      logDevKeySigning(sink, { ignoredParams: ignored.map((t) => signerAccountParams[t].name) });
    }
    return createDevKeySignerSet(devKeyFilePath());
  }
  warnAboutSharedSigners(config, sink);
  const { GoogleAuth } = await import("google-auth-library");
  const googleAuth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return createIamSignerSet(
    config,
    googleAuth,
    options.iamBaseUrl === undefined ? {} : { baseUrl: options.iamBaseUrl },
  );
}

function warnAboutSharedSigners(config: Config, sink: LogSink): void {
  const runtime = process.env[runtimeServiceAccount.name]?.trim();
  for (const shared of findSharedSigners(config.enabledTypes, config.signerAccounts)) {
    logSharedSigner(sink, {
      types: shared.types,
      roles: shared.roles,
      account:
        shared.account ??
        (runtime
          ? `the runtime service account ${runtime}`
          : "the runtime service account (the Compute Engine default service account)"),
    });
  }
}

export function createRuntimeDeps(sink: LogSink, options: RuntimeOptions = {}): HandlerDeps {
  return {
    clock: systemClock,
    logs: createLogs(sink),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    services: once(async (): Promise<Services> => {
      const config = loadConfig();
      return {
        ttlSeconds: config.ttlSeconds,
        checkRevokedTokens: config.checkRevokedTokens,
        sessions: new FirebaseSessionChecker(auth),
        assignments: new FirestoreAssignmentRepository({
          firestore,
          collections: config.collections,
        }),
        fields: config.fields,
        enabledTypes: config.enabledTypes,
        signers: await signers(config, sink, options),
        cache: new TokenCache({ clock: systemClock, ...config.cache }),
      };
    }),
  };
}
