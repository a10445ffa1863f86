import type { Agent } from "node:http";
import type { Auth } from "firebase-admin/auth";
import { TokenCache } from "./cache/token-cache.js";
import { systemClock } from "./clock.js";
import {
  loadConfig,
  runtimeAccountEmail,
  runtimeServiceAccount,
  signerAccountParams,
  type Config,
  type InstallKind,
} from "./config/index.js";
import { adminCredential } from "./credentials/admin-credential.js";
import { RuntimeCredentials } from "./credentials/runtime-credentials.js";
import { FirestoreAssignmentRepository } from "./entitlement/assignments.js";
import { FIRESTORE_URL, FirestoreRestDocuments } from "./entitlement/firestore-rest.js";
import type { HandlerDeps, Services } from "./handler.js";
import { FirebaseSessionChecker } from "./identity/session.js";
import {
  createLogs,
  logDevKeySigning,
  logIgnoredEmulatorSetting,
  logSharedSigner,
  type LogSink,
} from "./logs.js";
import { once } from "./once.js";
import { devKeyFilePath, isFunctionsEmulator } from "./signing/dev-key-signer.js";
import type { IamCredentials } from "./signing/iam-signer.js";
import { findSharedSigners } from "./signing/shared-signers.js";
import { createDevKeySignerSet, createIamSignerSet } from "./signing/signer-set.js";
import type { SignerSet } from "./signing/signer.js";
import { TOKEN_TYPES } from "./token-types.js";

/**
 * Production wiring, itself loaded on the first call (index.ts). firebase-admin and
 * google-auth-library are imported when first needed, once per instance: an operator token
 * never loads Firestore.
 *
 * Every wait on the metadata server goes through one RuntimeCredentials: bounded, and forgotten
 * when it fails, so that one stalled answer never wedges the instance (the IAM signer, the
 * Firestore reads and firebase-admin's Auth client all take their access tokens from it).
 */

const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
/** The variable the Firestore emulator is found by; honoured only in the Functions emulator. */
export const FIRESTORE_EMULATOR_HOST = "FIRESTORE_EMULATOR_HOST";

export interface RuntimeOptions {
  /** How this copy is installed (which param holds the region); default the cloned codebase. */
  readonly install?: InstallKind;
  /** IAM Credentials base URL; only tests point it at a fake. */
  readonly iamBaseUrl?: string;
  /** Firestore's REST base URL; only tests point it at a fake. */
  readonly firestoreBaseUrl?: string;
  /** The bound on each call; only tests shorten it. */
  readonly deadlineMs?: number;
  /** The bound on each metadata-server lookup; only tests shorten it. */
  readonly metadataTimeoutMs?: number;
  /** firebase-admin's HTTP agent; only tests route its Auth calls to a fake with it. */
  readonly authHttpAgent?: Agent;
}

async function newGoogleAuth() {
  const { GoogleAuth } = await import("google-auth-library");
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

/**
 * After a failed lookup: gcp-metadata remembers whether a metadata server answered its first
 * probe for the life of the process (outside Cloud Run, where it probes); forget that too.
 */
function forgetMetadataProbe(): void {
  void import("google-auth-library").then(({ gcpMetadata }) => gcpMetadata.resetIsAvailableCache());
}

/** firebase-admin apps by this module: one per runtime (per instance; tests build several). */
let adminApps = 0;

/**
 * firebase-admin's Auth client, on an app of our own with our bounded credential: firebase-admin
 * keeps a pending token refresh for every later caller (credentials/admin-credential.ts).
 */
async function adminAuth(credentials: RuntimeCredentials, options: RuntimeOptions): Promise<Auth> {
  const [{ initializeApp }, { getAuth }] = await Promise.all([
    import("firebase-admin/app"),
    import("firebase-admin/auth"),
  ]);
  const app = initializeApp(
    {
      credential: adminCredential(credentials),
      projectId: await credentials.projectId(),
      ...(options.authHttpAgent === undefined ? {} : { httpAgent: options.authHttpAgent }),
    },
    `fleet-engine-tokens-${++adminApps}`,
  );
  return getAuth(app);
}

/**
 * Firestore over its REST API, one GET per read (entitlement/firestore-rest.ts): the Firestore
 * client (gRPC, protobufjs) would be most of a fresh instance's first-call CPU for one read.
 * The emulator's host is honoured only in the Functions emulator: anywhere else a line in a
 * deployed env file would send the emulator's owner credential over plain HTTP to that host and
 * trust its answer.
 */
async function firestoreDocuments(
  credentials: RuntimeCredentials,
  options: RuntimeOptions,
): Promise<FirestoreRestDocuments> {
  const emulator = process.env[FIRESTORE_EMULATOR_HOST]?.trim();
  const projectId = await credentials.projectId();
  if (emulator && isFunctionsEmulator()) {
    return new FirestoreRestDocuments({
      projectId,
      baseUrl: `http://${emulator}`,
      // The emulator's admin credential, as firebase-admin sends it: rules do not apply.
      authorization: () => Promise.resolve("Bearer owner"),
    });
  }
  return new FirestoreRestDocuments({
    projectId,
    baseUrl: options.firestoreBaseUrl ?? FIRESTORE_URL,
    authorization: async () => `Bearer ${(await credentials.accessToken()).token}`,
  });
}

/** Emulator-only settings present outside the emulator: ignored, and said so once per instance. */
function warnAboutEmulatorSettings(sink: LogSink): void {
  const emulator = process.env[FIRESTORE_EMULATOR_HOST]?.trim();
  if (emulator && !isFunctionsEmulator()) {
    logIgnoredEmulatorSetting(sink, { variable: FIRESTORE_EMULATOR_HOST, value: emulator });
  }
}

/**
 * Token types with different roles signed by one account, logged once per instance and finding:
 * first with RUNTIME_SERVICE_ACCOUNT as the deploy resolves it, again once the runtime account's
 * email is discovered (a param may name it while RUNTIME_SERVICE_ACCOUNT is empty).
 */
function sharedSignerWarnings(
  config: Config,
  sink: LogSink,
): (runtime: string | undefined) => void {
  const logged = new Set<string>();
  let checked: string | null = null;
  return (runtime) => {
    if (runtime === checked) return;
    checked = runtime ?? null;
    const shared = findSharedSigners({
      enabledTypes: config.enabledTypes,
      signerAccounts: config.signerAccounts,
      runtimeAccount: runtime,
    });
    for (const { account, types, roles } of shared) {
      const key = `${account ?? ""}|${types.join(",")}`;
      if (logged.has(key)) continue;
      logged.add(key);
      logSharedSigner(sink, {
        types,
        roles,
        account:
          account ??
          (runtime
            ? `the runtime service account ${runtime}`
            : "the runtime service account (the Compute Engine default service account)"),
      });
    }
  };
}

/**
 * IAM in production; the local dev key only where the process really is the Functions emulator
 * (see isFunctionsEmulator: env files cannot fake that).
 */
function signers(
  config: Config,
  sink: LogSink,
  options: RuntimeOptions,
  credentials: RuntimeCredentials,
): SignerSet {
  if (isFunctionsEmulator()) {
    const ignored = TOKEN_TYPES.filter((type) => config.signerAccounts[type] !== undefined);
    if (ignored.length > 0) {
      logDevKeySigning(sink, { ignoredParams: ignored.map((t) => signerAccountParams[t].name) });
    }
    return createDevKeySignerSet(devKeyFilePath());
  }
  const warn = sharedSignerWarnings(config, sink);
  const configured = runtimeAccountEmail(
    process.env[runtimeServiceAccount.name],
    process.env.GCLOUD_PROJECT,
  );
  warn(configured);
  const iamCredentials: IamCredentials = {
    accessToken: () => credentials.accessToken(),
    accountEmail: async () => {
      const discovered = await credentials.accountEmail();
      warn(discovered);
      return discovered;
    },
  };
  return createIamSignerSet(
    config,
    iamCredentials,
    options.iamBaseUrl === undefined ? {} : { baseUrl: options.iamBaseUrl },
  );
}

/** Called once per instance (index.ts): everything below is built once, on the first call. */
export function createRuntimeDeps(sink: LogSink, options: RuntimeOptions = {}): HandlerDeps {
  const credentials = new RuntimeCredentials({
    newAuth: newGoogleAuth,
    onDiscard: forgetMetadataProbe,
    ...(options.metadataTimeoutMs === undefined ? {} : { timeoutMs: options.metadataTimeoutMs }),
  });
  const auth = once(() => adminAuth(credentials, options));
  const documents = once(() => firestoreDocuments(credentials, options));
  // Outside the Auth emulator, the access token comes from the bounded lookup first, so that a
  // stalled metadata server fails this lookup with its own error and the next one starts over.
  const sessionAuth = process.env.FIREBASE_AUTH_EMULATOR_HOST
    ? auth
    : async () => {
        await credentials.accessToken();
        return auth();
      };
  warnAboutEmulatorSettings(sink);
  return {
    clock: systemClock,
    logs: createLogs(sink),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    services: once((): Promise<Services> => {
      const config = loadConfig(options.install);
      return Promise.resolve({
        ttlSeconds: config.ttlSeconds,
        checkRevokedTokens: config.checkRevokedTokens,
        sessions: new FirebaseSessionChecker(sessionAuth),
        assignments: new FirestoreAssignmentRepository({
          documents,
          collections: config.collections,
        }),
        fields: config.fields,
        enabledTypes: config.enabledTypes,
        signers: signers(config, sink, options, credentials),
        cache: new TokenCache({ clock: systemClock, ...config.cache }),
      });
    }),
  };
}
