import { isDeepStrictEqual } from "node:util";
import type { GoogleAuth } from "google-auth-library";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { NO_DEADLINE, type CallContext } from "../deadline.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import type { FleetEngineClaims } from "../token/claims.js";
import type { Signer } from "./signer.js";

/**
 * Production signing: IAM Credentials `signJwt`, authenticated as the function's runtime service
 * account through google-auth-library. IAM writes the header (RS256, typ, kid of a Google-managed
 * key), so no private key ever leaves Google.
 */

export const IAM_CREDENTIALS_URL = "https://iamcredentials.googleapis.com";
/** The permission (in roles/iam.serviceAccountTokenCreator) that signJwt needs on the target. */
export const SIGN_JWT_PERMISSION = "iam.serviceAccounts.signJwt";

/** The parts of google-auth-library's GoogleAuth the signer uses. */
export type IamAuth = Pick<GoogleAuth, "request" | "getCredentials" | "getAccessToken">;

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
  auth: IamAuth;
  /** The account to sign as; undefined = the runtime account that `auth` authenticates as. */
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
  readonly #auth: IamAuth;
  readonly #account: string | undefined;
  readonly #baseUrl: string;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  #runtimeAccount: Promise<string> | undefined;

  constructor(options: IamSignerOptions) {
    this.#auth = options.auth;
    this.#account = options.account;
    this.#baseUrl = (options.baseUrl ?? IAM_CREDENTIALS_URL).replace(/\/+$/, "");
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async accountEmail(context: CallContext = NO_DEADLINE): Promise<string> {
    if (this.#account !== undefined) return this.#account;
    this.#runtimeAccount ??= this.#discoverRuntimeAccount().catch((error: unknown) => {
      this.#runtimeAccount = undefined;
      throw error;
    });
    const discovery = this.#runtimeAccount;
    // The metadata server has no timeout of its own: the step names it if the deadline passes.
    const email = await context.step("metadata-server:runtime-account", () => discovery);
    context.throwIfExpired();
    return email;
  }

  async signJwt(claims: FleetEngineClaims, context: CallContext = NO_DEADLINE): Promise<string> {
    const account = await this.accountEmail(context);
    // The access token comes from the metadata server in production, again without a timeout;
    // fetched here as its own step (auth.request below reuses the cached token).
    await context.step("metadata-server:access-token", () => this.#auth.getAccessToken());
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
        this.#attempt(url, payload, account, context.signal),
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
    account: string,
    signal: AbortSignal,
  ): Promise<{ kind: "signed"; response: SignJwtResponse } | { kind: "retry"; problem: string }> {
    try {
      const response = await this.#auth.request<SignJwtResponse>({
        url,
        method: "POST",
        data: { payload },
        timeout: this.#retry.timeoutMs,
        retry: false,
        signal,
      });
      return { kind: "signed", response: response.data };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const status = (error as { response?: { status?: unknown } }).response?.status;
      if (typeof status !== "number") {
        // No HTTP answer at all: refused, reset or timed out. Worth another try.
        return { kind: "retry", problem: networkProblem(error) };
      }
      if (RETRYABLE_STATUS.has(status)) return { kind: "retry", problem: `HTTP ${status}` };
      const iamMessage = iamErrorMessage(error);
      if (status === 401 || status === 403 || status === 404) {
        throw new TokenServiceError(
          ErrorCode.Misconfigured,
          `IAM refused to sign as ${account} (HTTP ${status}): ${iamMessage}. ` +
            `The runtime service account needs ${SIGN_JWT_PERMISSION} ` +
            `(roles/iam.serviceAccountTokenCreator) on ${account}, the account must exist, ` +
            "and the IAM Service Account Credentials API must be enabled.",
          {
            cause: error,
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
        { cause: error, details: { reason: "iam-rejected", account, status } },
      );
    }
  }

  async #discoverRuntimeAccount(): Promise<string> {
    let email: unknown;
    try {
      email = (await this.#auth.getCredentials()).client_email;
    } catch (error) {
      throw new TokenServiceError(
        ErrorCode.BackendUnavailable,
        `cannot discover the runtime service account: ${networkProblem(error)}`,
        { cause: error, details: { reason: "runtime-account-unknown" } },
      );
    }
    if (typeof email !== "string" || email === "") {
      throw new TokenServiceError(
        ErrorCode.Misconfigured,
        "the runtime credentials have no service account email; set the signer account params",
        { details: { reason: "runtime-account-unknown" } },
      );
    }
    return email;
  }
}

/** IAM's own error text (it names the permission and resource); never the request, never tokens. */
function iamErrorMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const message =
    typeof data === "object" && data !== null
      ? (data as { error?: { message?: unknown } }).error?.message
      : undefined;
  return typeof message === "string" ? message.slice(0, 500) : "no error message";
}

function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
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
