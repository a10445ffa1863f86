import type { GoogleAuth } from "google-auth-library";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { withTimeout } from "../timeout.js";

/**
 * The function's own Google credentials, from the metadata server through google-auth-library:
 * access tokens, the runtime service account's email, the project ID. Every lookup is bounded by
 * its own timeout, and a lookup that fails or times out is forgotten, together with the
 * google-auth-library client it ran on: one stalled answer costs the calls that waited for it,
 * never the instance.
 *
 * Why the client goes too: on Cloud Run (K_SERVICE set) gcp-metadata waits with no timeout, and
 * google-auth-library keeps what is pending: the Compute client shares one pending token refresh
 * among all callers, GoogleAuth one pending project-ID lookup. A fresh GoogleAuth has neither.
 */

/** Longer than the metadata server ever needs (milliseconds), shorter than a call's deadline. */
export const METADATA_TIMEOUT_MS = 3000;

/** What the function asks google-auth-library for (a GoogleAuth in production). */
export type GoogleCredentialSource = Pick<
  GoogleAuth,
  "getClient" | "getCredentials" | "getProjectId"
>;

export interface RuntimeCredentialsOptions {
  /** A new google-auth-library client; called again after a lookup failed or timed out. */
  newAuth: () => Promise<GoogleCredentialSource>;
  /** The bound of each lookup; only tests change it. */
  timeoutMs?: number;
  /** Called with each client that is dropped (production: resets gcp-metadata's own cache). */
  onDiscard?: () => void;
  env?: NodeJS.ProcessEnv;
}

/** An access token and when it expires, for clients that cache it themselves (firebase-admin). */
export interface AccessToken {
  readonly token: string;
  /** Milliseconds since the epoch; undefined when google-auth-library does not say. */
  readonly expiresAtMillis: number | undefined;
}

export class RuntimeCredentials {
  readonly #options: RuntimeCredentialsOptions;
  readonly #timeoutMs: number;
  #auth: Promise<GoogleCredentialSource> | undefined;
  #account: Promise<string> | undefined;
  #projectId: Promise<string> | undefined;

  constructor(options: RuntimeCredentialsOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? METADATA_TIMEOUT_MS;
  }

  /**
   * A current access token. google-auth-library caches it and refreshes it before it expires;
   * this bounds every fetch, cached or not.
   */
  async accessToken(): Promise<AccessToken> {
    return this.#lookup("access-token", async (auth) => {
      const client = await auth.getClient();
      const { token } = await client.getAccessToken();
      if (!token) throw new Error("google-auth-library gave no access token");
      const expiry = (client as { credentials?: { expiry_date?: unknown } }).credentials
        ?.expiry_date;
      return { token, expiresAtMillis: typeof expiry === "number" ? expiry : undefined };
    });
  }

  /** The runtime service account's email, looked up once and kept once known. */
  accountEmail(): Promise<string> {
    if (this.#account === undefined) {
      const lookup: Promise<string> = this.#lookup("runtime-account", async (auth) => {
        const email = (await auth.getCredentials()).client_email;
        if (typeof email !== "string" || email === "") {
          throw new TokenServiceError(
            ErrorCode.Misconfigured,
            "the runtime credentials have no service account email; set the signer account params",
            { details: { reason: "runtime-account-unknown" } },
          );
        }
        return email;
      }).catch((error: unknown) => {
        if (this.#account === lookup) this.#account = undefined;
        throw error;
      });
      this.#account = lookup;
    }
    return this.#account;
  }

  /**
   * The project ID: from the environment the platform sets (GCLOUD_PROJECT, which firebase deploy
   * and the emulator set, or FIREBASE_CONFIG), else from the metadata server, once.
   */
  projectId(): Promise<string> {
    const env = this.#options.env ?? process.env;
    const known = env.GCLOUD_PROJECT?.trim() || env.GOOGLE_CLOUD_PROJECT?.trim() || configured(env);
    if (known) return Promise.resolve(known);
    if (this.#projectId === undefined) {
      const lookup: Promise<string> = this.#lookup("project-id", (auth) =>
        auth.getProjectId(),
      ).catch((error: unknown) => {
        if (this.#projectId === lookup) this.#projectId = undefined;
        throw error;
      });
      this.#projectId = lookup;
    }
    return this.#projectId;
  }

  /** Runs `work` on the current client under the timeout; drops the client if it fails. */
  async #lookup<T>(what: string, work: (auth: GoogleCredentialSource) => Promise<T>): Promise<T> {
    const client = this.#client();
    try {
      return await withTimeout(
        client.then(work),
        this.#timeoutMs,
        () =>
          new TokenServiceError(
            ErrorCode.BackendUnavailable,
            `the metadata server did not answer (${what}) within ${this.#timeoutMs} ms`,
            {
              details: {
                reason: "metadata-server-timeout",
                lookup: what,
                timeoutMs: this.#timeoutMs,
              },
            },
          ),
      );
    } catch (error) {
      this.#discard(client);
      throw error;
    }
  }

  #client(): Promise<GoogleCredentialSource> {
    this.#auth ??= this.#options.newAuth();
    return this.#auth;
  }

  #discard(client: Promise<GoogleCredentialSource>): void {
    if (this.#auth !== client) return; // another failure already replaced it
    this.#auth = undefined;
    this.#options.onDiscard?.();
  }
}

/** The project ID of FIREBASE_CONFIG, which the platform sets beside GCLOUD_PROJECT. */
function configured(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const projectId = (JSON.parse(env.FIREBASE_CONFIG ?? "{}") as { projectId?: unknown })
      .projectId;
    return typeof projectId === "string" && projectId !== "" ? projectId : undefined;
  } catch {
    return undefined;
  }
}
