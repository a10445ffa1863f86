import { describe, expect, it } from "vitest";
import { adminCredential } from "../../../src/credentials/admin-credential.js";
import {
  RuntimeCredentials,
  type GoogleCredentialSource,
} from "../../../src/credentials/runtime-credentials.js";
import { TokenServiceError } from "../../../src/errors.js";

/**
 * The bounded lookups on their own, with a google-auth-library stand-in whose answers the test
 * scripts: the first answer of each kind may never come. The production wiring with the real
 * google-auth-library and a fake metadata server is in production-runtime.test.ts.
 */

const NEVER = new Promise<never>(() => undefined);

/** One stand-in client per `newAuth` call; `script` says what each call of a method returns. */
function scripted(script: {
  email?: (() => Promise<string | undefined>)[];
  projectId?: (() => Promise<string>)[];
  token?: (() => Promise<string>)[];
}) {
  const calls = { newAuth: 0, email: 0, projectId: 0, token: 0 };
  const next = <T>(list: (() => Promise<T>)[] | undefined, index: number): Promise<T> =>
    (list?.[index] ?? list?.at(-1) ?? (() => Promise.reject(new Error("no script"))))();
  const newAuth = async (): Promise<GoogleCredentialSource> => {
    calls.newAuth++;
    const source = {
      getCredentials: async () => ({ client_email: await next(script.email, calls.email++) }),
      getProjectId: () => next(script.projectId, calls.projectId++),
      getClient: async () => ({
        credentials: { expiry_date: 1_800_000_000_000 },
        getAccessToken: async () => ({ token: await next(script.token, calls.token++) }),
      }),
    };
    return source as unknown as GoogleCredentialSource;
  };
  return { calls, newAuth };
}

async function reason(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TokenServiceError);
  return (error as TokenServiceError).details;
}

describe("RuntimeCredentials", () => {
  it("bounds the runtime account lookup, forgets a stalled one and the client, keeps an answer", async () => {
    const source = scripted({
      email: [() => NEVER, async () => "runtime@p.iam.gserviceaccount.com"],
    });
    const credentials = new RuntimeCredentials({ newAuth: source.newAuth, timeoutMs: 50 });
    const [first, joined] = [credentials.accountEmail(), credentials.accountEmail()];
    expect(await reason(first)).toEqual({
      reason: "metadata-server-timeout",
      lookup: "runtime-account",
      timeoutMs: 50,
    });
    await expect(joined).rejects.toBeInstanceOf(TokenServiceError); // it shared the stalled lookup
    expect(await credentials.accountEmail()).toBe("runtime@p.iam.gserviceaccount.com");
    expect(await credentials.accountEmail()).toBe("runtime@p.iam.gserviceaccount.com");
    expect(source.calls).toMatchObject({ email: 2, newAuth: 2 });
  });

  it("forgets a failed lookup, and an empty email is a failure, not an answer", async () => {
    const source = scripted({
      email: [
        () => Promise.reject(new Error("ECONNRESET")),
        async () => "",
        async () => "runtime@p.iam.gserviceaccount.com",
      ],
    });
    const credentials = new RuntimeCredentials({ newAuth: source.newAuth, timeoutMs: 50 });
    await expect(credentials.accountEmail()).rejects.toThrow("ECONNRESET");
    expect(await reason(credentials.accountEmail())).toMatchObject({
      reason: "runtime-account-unknown",
    });
    expect(await credentials.accountEmail()).toBe("runtime@p.iam.gserviceaccount.com");
    expect(source.calls.newAuth).toBe(3);
  });

  it("bounds every access token fetch and starts over on a new client after a stall", async () => {
    const source = scripted({ token: [() => NEVER, async () => "token-2"] });
    let discarded = 0;
    const credentials = new RuntimeCredentials({
      newAuth: source.newAuth,
      timeoutMs: 50,
      onDiscard: () => discarded++,
    });
    expect(await reason(credentials.accessToken())).toMatchObject({ lookup: "access-token" });
    expect(await credentials.accessToken()).toEqual({
      token: "token-2",
      expiresAtMillis: 1_800_000_000_000,
    });
    expect(source.calls.newAuth).toBe(2);
    expect(discarded).toBe(1);
  });

  it("takes the project ID from the platform's variables, else from a bounded lookup", async () => {
    const source = scripted({ projectId: [() => NEVER, async () => "p-looked-up"] });
    const env = (values: NodeJS.ProcessEnv) =>
      new RuntimeCredentials({ newAuth: source.newAuth, timeoutMs: 50, env: values });
    expect(await env({ GCLOUD_PROJECT: "p-env" }).projectId()).toBe("p-env");
    expect(await env({ GOOGLE_CLOUD_PROJECT: "p-google" }).projectId()).toBe("p-google");
    expect(await env({ FIREBASE_CONFIG: '{"projectId":"p-config"}' }).projectId()).toBe("p-config");
    expect(source.calls.projectId).toBe(0);
    const credentials = env({});
    expect(await reason(credentials.projectId())).toMatchObject({ lookup: "project-id" });
    expect(await credentials.projectId()).toBe("p-looked-up");
    expect(await credentials.projectId()).toBe("p-looked-up");
    expect(source.calls.projectId).toBe(2);
  });
});

describe("adminCredential", () => {
  it("hands firebase-admin the bounded token and its remaining lifetime", async () => {
    const credential = adminCredential({
      accessToken: async () => ({ token: "t", expiresAtMillis: Date.now() + 120_500 }),
    });
    const token = await credential.getAccessToken();
    expect(token.access_token).toBe("t");
    expect(token.expires_in).toBeGreaterThanOrEqual(119);
    expect(token.expires_in).toBeLessThanOrEqual(120);
    const unknown = adminCredential({
      accessToken: async () => ({ token: "t", expiresAtMillis: undefined }),
    });
    expect((await unknown.getAccessToken()).expires_in).toBe(0);
  });
});
