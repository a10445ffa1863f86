// @ts-check
/**
 * The local signing key of the Functions emulator: a throwaway RSA key in the shape of a Google
 * service-account key file (client_email, private_key_id, private_key), which the function's
 * emulator-only dev-key signer reads (functions/src/signing/dev-key-signer.ts). No Google account
 * has this key, and Fleet Engine would refuse its tokens: it exists so that the emulator mints
 * verifiable tokens offline. Plain JavaScript, so that the repository's scripts (npm start) and
 * the package's `dev-key` command write the same file.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** @param {string} projectId */
export function devAccountEmail(projectId) {
  return `fleet-engine-dev@${projectId}.iam.gserviceaccount.com`;
}

/**
 * Writes a new key to `file` (readable by its owner only), replacing any there.
 * @param {string} file
 * @param {string} projectId the project named in the key's account email
 */
export function writeDevKey(file, projectId) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = {
    type: "service_account",
    project_id: projectId,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: devAccountEmail(projectId),
    client_id: "000000000000000000000",
    comment: "Local development key for the Functions emulator only. Not a Google credential.",
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2) + "\n", { mode: 0o600 });
}

/**
 * Keeps the key at `file` if it is one, or writes a new one.
 * @param {string} file
 * @param {string} projectId
 * @returns {{ created: boolean, file: string }}
 */
export function ensureDevKey(file, projectId) {
  if (existsSync(file)) {
    const key = JSON.parse(readFileSync(file, "utf8"));
    if (key.client_email && key.private_key_id && key.private_key) return { created: false, file };
    throw new Error(`${file} exists but is not a service-account key; delete it to regenerate`);
  }
  writeDevKey(file, projectId);
  return { created: true, file };
}
