import { isDeepStrictEqual } from "node:util";
import type { GoogleAuth } from "google-auth-library";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { NO_DEADLINE, type CallContext } from "../deadline.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import type { FleetEngineClaims } from "../token/claims.js";
import type { Signer } from "./signer.js";

/**
 * Production signing: IAM Credentials `signJwt`, authenticated as the function's runtime service
 * account. IAM writes the header (RS256, typ, kid of a Google-managed key), so no private key
 * ever leaves Google.
 */

export const IAM_CREDENTIALS_URL = "https://iamcredentials.googleapis.com";
/** The permission (in roles/iam.serviceAccountTokenCreator) that signJwt needs on the target. */
export const SIGN_JWT_PERMISSION = "iam.serviceAccounts.signJwt";

/**
 * The credentials the signer calls IAM with: the function's bounded RuntimeCredentials in
 * production (credentials/runtime-credentials.ts), any GoogleAuth for the tools.
 */
export interface IamCredentials {
  /** A bearer access token (cloud-platform scope). */
  accessToken(): Promise<{ readonly token: string }>;
  /** The email of the account the credentials are for: the runtime account. */
  accountEmail(): Promise<string>;
}

/** IamCredentials from a google-auth-library GoogleAuth, unbounded: for tools, not the function. */
export function googleAuthCredentials(
  auth: Pick<GoogleAuth, "getAccessToken" | "getCredentials">,
): IamCredentials {
  return {
    async accessToken() {
      const token = await auth.getAccessToken();
      if (!token) throw new Error("google-auth-library gave no access token");
      return { token };
    },
    async accountEmail() {
      const email = (await auth.getCredentials()).client_email;
      if (typeof email !== "string" || email === "") {
        throw new TokenServiceError(
          ErrorCode.Misconfigured,
          "the credentials have no service account email; name the account to sign as",
          { details: { reason: "runtime-account-unknown" } },
        );
      }
      return email;
    },
  };
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles for each further one, plus up to 50 % jitter. */
  readonly baseDelayMs: number;
  /** Per-attempt timeout: a hanging IAM call must not hold the caller. */
  readonly timeoutMs: number;
}

/** Worst case about 3 x 2.5 s + 0.3 s: well inside a client's patience and the 10 s budget. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100, timeoutMs: 2500 };

export interface IamSignerOptions {
  credentials: IamCredentials;
  /** The account to sign as; undefined = the runtime account the credentials are for. */
  account?: string;
  /** Base URL of IAM Credentials; only tests point it elsewhere. */
  baseUrl?: string;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

interface SignJwtResponse {
  keyId?: unknown;
  signedJwt?: unknown;
}

export class IamSigner implements Signer {
  readonly #credentials: IamCredentials;
  readonly #account: string | undefined;
  readonly #baseUrl: string;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: IamSignerOptions) {
    this.#credentials = options.credentials;
    this.#account = options.account;
    this.#baseUrl = (options.baseUrl ?? IAM_CREDENTIALS_URL).replace(/\/+$/, "");
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async accountEmail(context: CallContext = NO_DEADLINE): Promise<string> {
    if (this.#account !== undefined) return this.#account;
    // Looked up once and kept by the credentials, under their own timeout; the step names the
    // metadata server if the call's deadline passes first.
    const email = await context.step("metadata-server:runtime-account", async () => {
      try {
        return await this.#credentials.accountEmail();
      } catch (error) {
        if (error instanceof TokenServiceError) throw error;
        throw new TokenServiceError(
          ErrorCode.BackendUnavailable,
          `cannot discover the runtime service account: ${networkProblem(error)}`,
          { cause: error, details: { reason: "runtime-account-unknown" } },
        );
      }
    });
    context.throwIfExpired();
    return email;
  }

  async signJwt(claims: FleetEngineClaims, context: CallContext = NO_DEADLINE): Promise<string> {
    const account = await this.accountEmail(context);
    const { token } = await context.step("metadata-server:access-token", async () => {
      try {
        return await this.#credentials.accessToken();
      } catch (error) {
        if (error instanceof TokenServiceError) throw error;
        throw new TokenServiceError(
          ErrorCode.BackendUnavailable,
          `no access token for IAM: ${networkProblem(error)}`,
          { cause: error, details: { reason: "access-token-unavailable" } },
        );
      }
    });
    const url = `${this.#baseUrl}/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:signJwt`;
    const payload = JSON.stringify(claims);
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt++) {
      if (attempt > 1) {
        const base = this.#retry.baseDelayMs * 2 ** (attempt - 2);
        await this.#sleep(base + Math.random() * base * 0.5);
      }
      context.throwIfExpired();
      const outcome = await context.step("iam-signJwt", () =>
        this.#attempt(url, payload, token, account, context.signal),
      );
      if (outcome.kind === "signed") return checkSignedJwt(outcome.response, claims, account);
      lastProblem = outcome.problem;
    }
    throw new TokenServiceError(
      ErrorCode.BackendUnavailable,
      `IAM signJwt failed: ${lastProblem}`,
      {
        details: { reason: "iam-unavailable", account, attempts: this.#retry.attempts },
      },
    );
  }

  async #attempt(
    url: string,
    payload: string,
    token: string,
    account: string,
    signal: AbortSignal,
  ): Promise<{ kind: "signed"; response: SignJwtResponse } | { kind: "retry"; problem: string }> {
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ payload }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#retry.timeoutMs)]),
      });
      // A body cut off or timed out is no answer (retried); one that is not JSON is an answer.
      body = parseJson(await response.text());
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // No HTTP answer at all: refused, reset or timed out. Worth another try.
      return { kind: "retry", problem: networkProblem(error) };
    }
    const { status } = response;
    if (response.ok) return { kind: "signed", response: body ?? {} };
    if (RETRYABLE_STATUS.has(status)) return { kind: "retry", problem: `HTTP ${status}` };
    const iamMessage = iamErrorMessage(body);
    if (status === 401 || status === 403 || status === 404) {
      throw new TokenServiceError(
        ErrorCode.Misconfigured,
        `IAM refused to sign as ${account} (HTTP ${status}): ${iamMessage}. ` +
          `The runtime service account needs ${SIGN_JWT_PERMISSION} ` +
          `(roles/iam.serviceAccountTokenCreator) on ${account}, the account must exist, ` +
          "and the IAM Service Account Credentials API must be enabled.",
        {
          cause: new IamHttpError(status, body),
          details: {
            reason: "iam-permission",
            account,
            permission: SIGN_JWT_PERMISSION,
            status,
          },
        },
      );
    }
    throw new TokenServiceError(
      ErrorCode.SigningFailed,
      `IAM signJwt answered HTTP ${status}: ${iamMessage}`,
      {
        cause: new IamHttpError(status, body),
        details: { reason: "iam-rejected", account, status },
      },
    );
  }
}

/**
 * IAM's HTTP answer to a refused signJwt, in the shape google-auth-library's errors have
 * (`response.status`, `response.data`), so that tools can read Google's error details from it.
 */
export class IamHttpError extends Error {
  readonly response: { readonly status: number; readonly data: unknown };

  constructor(status: number, data: unknown) {
    super(`IAM signJwt answered HTTP ${status}: ${iamErrorMessage(data)}`);
    this.name = "IamHttpError";
    this.response = { status, data };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** IAM's own error text (it names the permission and resource); never the request, never tokens. */
function iamErrorMessage(data: unknown): string {
  const message =
    typeof data === "object" && data !== null
      ? (data as { error?: { message?: unknown } }).error?.message
      : undefined;
  return typeof message === "string" ? message.slice(0, 500) : "no error message";
}

function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = (error as { code?: unknown } | null)?.code ?? cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" ? `${code}: ${message.slice(0, 200)}` : message.slice(0, 200);
}

/**
 * IAM's answer must be a compact RS256 JWT whose payload is exactly what we sent: anything else
 * would hand a client a token we did not decide on.
 */
function checkSignedJwt(
  response: SignJwtResponse,
  claims: FleetEngineClaims,
  account: string,
): string {
  const fail = (problem: string): TokenServiceError =>
    new TokenServiceError(ErrorCode.SigningFailed, `IAM signJwt answer rejected: ${problem}`, {
      details: { reason: "iam-malformed", account },
    });
  const jwt = response.signedJwt;
  if (typeof jwt !== "string") throw fail("no signedJwt");
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(jwt);
    payload = decodeJwt(jwt);
  } catch {
    throw fail("signedJwt is not a JWT");
  }
  if (jwt.split(".")[2] === "") throw fail("signedJwt has no signature");
  if (header.alg !== "RS256") throw fail("header alg is not RS256");
  if (header.typ !== undefined && header.typ !== "JWT") throw fail("header typ is not JWT");
  if (!isDeepStrictEqual(payload, JSON.parse(JSON.stringify(claims)))) {
    throw fail("signed claims differ from the claims sent");
  }
  return jwt;
}
