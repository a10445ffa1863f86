import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export interface ThrowawayKey {
  /** A service-account-shaped key file holding the private half. */
  readonly file: string;
  readonly email: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
}

/** A fresh RSA key that no one else has, written as a service-account key file. */
export function createThrowawayKey(
  email = "signer@demo-test.iam.gserviceaccount.com",
): ThrowawayKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyId = randomBytes(20).toString("hex");
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const dir = mkdtempSync(path.join(tmpdir(), "fe-key-"));
  const file = path.join(dir, "key.json");
  writeFileSync(
    file,
    JSON.stringify({ client_email: email, private_key_id: keyId, private_key: privateKeyPem }),
  );
  return { file, email, keyId, privateKeyPem, publicKey };
}
