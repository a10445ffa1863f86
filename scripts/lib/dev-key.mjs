// @ts-check
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ID } from "./paths.mjs";

export const DEV_ACCOUNT = `fleet-engine-dev@${PROJECT_ID}.iam.gserviceaccount.com`;

/**
 * Writes a service-account-shaped key file (client_email, private_key_id, private_key) for the
 * Functions emulator's dev-key signer. It is a throwaway local key: no Google account has it.
 * @param {string} file
 * @returns {{ created: boolean, file: string }}
 */
export function ensureDevKey(file) {
  if (existsSync(file)) {
    const key = JSON.parse(readFileSync(file, "utf8"));
    if (key.client_email && key.private_key_id && key.private_key) return { created: false, file };
    throw new Error(`${file} exists but is not a service-account key; delete it to regenerate`);
  }
  writeDevKey(file);
  return { created: true, file };
}

/** @param {string} file */
export function writeDevKey(file) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = {
    type: "service_account",
    project_id: PROJECT_ID,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: DEV_ACCOUNT,
    client_id: "000000000000000000000",
    comment: "Local development key for the Functions emulator only. Not a Google credential.",
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2) + "\n", { mode: 0o600 });
}
