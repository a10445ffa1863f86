import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { GoogleAuth } from "google-auth-library";
import { TokenCache } from "./cache/token-cache.js";
import { systemClock } from "./clock.js";
import {
  loadConfig,
  runtimeServiceAccount,
  signerAccountParams,
  type Config,
  type InstallKind,
} from "./config/index.js";
import { FirestoreAssignmentRepository } from "./entitlement/assignments.js";
import { FIRESTORE_URL, FirestoreRestDocuments } from "./entitlement/firestore-rest.js";
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

const auth = once(async (): Promise<Auth> => {
  const { getAuth } = await import("firebase-admin/auth");
  return getAuth(await adminApp());
});

/** A GoogleAuth for the instance: the IAM signer and the Firestore reads share its tokens. */
async function newGoogleAuth(): Promise<GoogleAuth> {
  const { GoogleAuth } = await import("google-auth-library");
  return new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
}

/**
 * Firestore over its REST API, one GET per read (entitlement/firestore-rest.ts): the Firestore
 * client (gRPC, protobufjs) would be most of a fresh instance's first-call CPU for one read.
 */
async function firestoreDocuments(
  googleAuth: () => Promise<GoogleAuth>,
): Promise<FirestoreRestDocuments> {
  const emulator = process.env.FIRESTORE_EMULATOR_HOST?.trim();
  if (emulator) {
    return new FirestoreRestDocuments({
      projectId: process.env.GCLOUD_PROJECT ?? (await googleAuth().then((a) => a.getProjectId())),
      baseUrl: `http://${emulator}`,
      // The emulator's admin credential, as firebase-admin sends it: rules do not apply.
      authorization: () => Promise.resolve("Bearer owner"),
    });
  }
  const auth = await googleAuth();
  const projectId = (await adminApp()).options.projectId ?? (await auth.getProjectId());
  return new FirestoreRestDocuments({
    projectId,
    baseUrl: FIRESTORE_URL,
    authorization: async () => {
      const token = await auth.getAccessToken();
      if (!token) throw new Error("google-auth-library gave no access token");
      return `Bearer ${token}`;
    },
  });
}

export interface RuntimeOptions {
  /** How this copy is installed (which param holds the region); default the cloned codebase. */
  readonly install?: InstallKind;
  /** IAM Credentials base URL; only tests point it at a fake. */
  readonly iamBaseUrl?: string;
  /** The bound on each call; only tests shorten it. */
  readonly deadlineMs?: number;
}

/**
 * IAM in production; the local dev key only where the process really is the Functions emulator
 * (see isFunctionsEmulator: env files cannot fake that).
 */
async function signers(
  config: Config,
  sink: LogSink,
  options: RuntimeOptions,
  googleAuth: () => Promise<GoogleAuth>,
): Promise<SignerSet> {
  if (isFunctionsEmulator()) {
    const ignored = TOKEN_TYPES.filter((type) => config.signerAccounts[type] !== undefined);
    if (ignored.length > 0) {
      logDevKeySigning(sink, { ignoredParams: ignored.map((t) => signerAccountParams[t].name) });
    }
    return createDevKeySignerSet(devKeyFilePath());
  }
  warnAboutSharedSigners(config, sink);
  return createIamSignerSet(
    config,
    await googleAuth(),
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

/** Called once per instance (index.ts): everything below is built once, on the first call. */
export function createRuntimeDeps(sink: LogSink, options: RuntimeOptions = {}): HandlerDeps {
  const googleAuth = once(newGoogleAuth);
  const documents = once(() => firestoreDocuments(googleAuth));
  return {
    clock: systemClock,
    logs: createLogs(sink),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    services: once(async (): Promise<Services> => {
      const config = loadConfig(options.install);
      return {
        ttlSeconds: config.ttlSeconds,
        checkRevokedTokens: config.checkRevokedTokens,
        sessions: new FirebaseSessionChecker(auth),
        assignments: new FirestoreAssignmentRepository({
          documents,
          collections: config.collections,
        }),
        fields: config.fields,
        enabledTypes: config.enabledTypes,
        signers: await signers(config, sink, options, googleAuth),
        cache: new TokenCache({ clock: systemClock, ...config.cache }),
      };
    }),
  };
}
