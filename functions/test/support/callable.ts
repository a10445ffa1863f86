import { emulatorAppCheckToken } from "./app-check.js";
import { callableUrl } from "./emulator-env.js";

/** The callable's answer over HTTP, as the client SDKs receive it. */
export interface CallableAnswer {
  status: number;
  result?: {
    token: string;
    type: string;
    authorization: Record<string, string>;
    expiresInSeconds: number;
    expiresAtMillis: number;
  };
  error?: { status: string; message: string; details?: unknown };
}

export interface CallOptions {
  /** Send an App Check token (default true: App Check is enforced by default). */
  appCheck?: boolean;
  headers?: Record<string, string>;
}

/** Calls the callable with the callable protocol: POST {data}, Bearer ID token, App Check. */
export async function callTokenFunction(
  idToken: string | undefined,
  data: unknown,
  options: CallOptions = {},
): Promise<CallableAnswer> {
  const response = await fetch(callableUrl(), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(idToken === undefined ? {} : { authorization: `Bearer ${idToken}` }),
      ...(options.appCheck === false ? {} : { "x-firebase-appcheck": emulatorAppCheckToken() }),
      ...options.headers,
    },
    body: JSON.stringify({ data }),
  });
  const body = (await response.json()) as Omit<CallableAnswer, "status">;
  return { status: response.status, ...body };
}
