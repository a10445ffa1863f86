import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The dev key the Functions emulator signs with in this run (scripts/emulators-exec.mjs). */
export function emulatorSigningKey(): { email: string; keyId: string; publicKey: KeyObject } {
  const root = path.resolve(__dirname, "..", "..", "..");
  const file = path.resolve(
    root,
    process.env.FLEET_ENGINE_DEV_KEY_FILE ?? ".dev/fleet-engine-dev-key.json",
  );
  const key = JSON.parse(readFileSync(file, "utf8")) as {
    client_email: string;
    private_key_id: string;
    private_key: string;
  };
  return {
    email: key.client_email,
    keyId: key.private_key_id,
    // Only the public half leaves this function: tests verify, they never sign.
    publicKey: createPublicKey(key.private_key),
  };
}
