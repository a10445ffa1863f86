import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as z from "zod";
import { NO_DEADLINE, type CallContext } from "../deadline.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import type { FleetEngineClaims } from "../token/claims.js";
import type { Signer } from "./signer.js";

/**
 * Emulator-only signing with a service-account key file. Production signs through IAM so that no
 * private key ever exists outside Google; this signer refuses to exist anywhere but the
 * Functions emulator.
 */

export const DEV_KEY_FILE_ENV = "FLEET_ENGINE_DEV_KEY_FILE";
export const DEFAULT_DEV_KEY_FILE = ".dev/fleet-engine-dev-key.json";

/**
 * The Firebase project directory: the nearest folder at or above `from` that holds firebase.json.
 * The Functions emulator runs a function with its source folder as the working directory:
 * functions/ in a clone, function-kits/<kit>/source/ in an app with a kit installed; both lie
 * inside the project directory.
 */
export function firebaseProjectDir(from: string = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "firebase.json"))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new TokenServiceError(ErrorCode.Misconfigured, "no firebase.json above the function", {
    details: { reason: "dev-key-unreadable", from },
  });
}

const serviceAccountKey = z.object({
  client_email: z.string().min(1),
  private_key_id: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY"),
});

/**
 * True only in the Functions emulator. FUNCTIONS_EMULATOR alone is not enough: it is an ordinary
 * name, so a line in functions/.env.<project> would ship it to production. FIREBASE_DEBUG_MODE is
 * set by the emulator for every function it runs, and firebase-tools refuses any FIREBASE_* name
 * in user env files (reserved prefix), at deploy and in the emulator alike.
 */
export function isFunctionsEmulator(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FUNCTIONS_EMULATOR === "true" && env.FIREBASE_DEBUG_MODE === "true";
}

/** The environment the emulator gives a function, for tests of code that needs it. */
export const EMULATOR_ENV: Readonly<NodeJS.ProcessEnv> = Object.freeze({
  FUNCTIONS_EMULATOR: "true",
  FIREBASE_DEBUG_MODE: "true",
});

/**
 * The key file: FLEET_ENGINE_DEV_KEY_FILE, or the default. An absolute path is used as it is; a
 * relative one is relative to the Firebase project directory (the folder of firebase.json: the
 * repository root of a clone, the app folder of a kit instance), wherever the function runs from.
 */
export function devKeyFilePath(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const configured = env[DEV_KEY_FILE_ENV]?.trim() || DEFAULT_DEV_KEY_FILE;
  return path.isAbsolute(configured)
    ? configured
    : path.resolve(firebaseProjectDir(cwd), configured);
}

interface LoadedKey {
  email: string;
  /** base64url of the protected header, the same for every token of this key. */
  header: string;
  key: KeyObject;
}

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

export class DevKeySigner implements Signer {
  readonly #file: string;
  #loaded: Promise<LoadedKey> | undefined;

  /** Throws a misconfigured error unless running in the Functions emulator. */
  constructor(file: string, env: NodeJS.ProcessEnv = process.env) {
    if (!isFunctionsEmulator(env)) {
      throw new TokenServiceError(
        ErrorCode.Misconfigured,
        "the dev-key signer is only for the Functions emulator",
        { details: { reason: "dev-signer-outside-emulator" } },
      );
    }
    this.#file = file;
  }

  async accountEmail(context: CallContext = NO_DEADLINE): Promise<string> {
    const { email } = await context.step("dev-key", () => this.#key());
    return email;
  }

  /**
   * A compact JWS (RFC 7515) signed with node:crypto, synchronously: the whole signature costs
   * what the RSA operation costs. jose's WebCrypto path added about 25% per token here (see
   * docs/performance.md); tests still verify every token with jose.
   */
  async signJwt(claims: FleetEngineClaims, context: CallContext = NO_DEADLINE): Promise<string> {
    const { header, key } = await context.step("dev-key", () => this.#key());
    context.throwIfExpired();
    const input = `${header}.${base64url(claims)}`;
    return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
  }

  #key(): Promise<LoadedKey> {
    this.#loaded ??= this.#load().catch((error: unknown) => {
      this.#loaded = undefined; // let a later call retry, e.g. after `npm start` wrote the file
      throw error;
    });
    return this.#loaded;
  }

  async #load(): Promise<LoadedKey> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(this.#file, "utf8"));
    } catch (error) {
      throw new TokenServiceError(ErrorCode.Misconfigured, "cannot read the dev key file", {
        cause: error,
        details: { reason: "dev-key-unreadable", file: this.#file },
      });
    }
    const parsed = serviceAccountKey.safeParse(json);
    if (!parsed.success) {
      throw new TokenServiceError(ErrorCode.Misconfigured, "the dev key file is not a key", {
        details: { reason: "dev-key-invalid", file: this.#file },
      });
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(parsed.data.private_key);
    } catch (error) {
      throw new TokenServiceError(ErrorCode.Misconfigured, "the dev key file holds no RSA key", {
        cause: error,
        details: { reason: "dev-key-invalid", file: this.#file },
      });
    }
    if (key.asymmetricKeyType !== "rsa") {
      throw new TokenServiceError(ErrorCode.Misconfigured, "the dev key is not an RSA key", {
        details: { reason: "dev-key-invalid", file: this.#file },
      });
    }
    return {
      email: parsed.data.client_email,
      header: base64url({ alg: "RS256", typ: "JWT", kid: parsed.data.private_key_id }),
      key,
    };
  }
}
