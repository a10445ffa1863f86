// @ts-check
/**
 * Finds secrets in log text: anything shaped like a JWT (ID tokens, App Check tokens, Fleet
 * Engine tokens all are), a PEM private key, or a Google OAuth access token. Used on every line
 * the emulators print during a test run; a hit fails the run.
 */

/** @type {ReadonlyArray<{ kind: string, pattern: RegExp }>} */
export const SECRET_PATTERNS = Object.freeze([
  { kind: "JWT or ID token", pattern: /eyJ[\w-]{2,}\.eyJ[\w-]*/ },
  { kind: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "private key (JSON)", pattern: /"private_key"\s*:\s*"-----BEGIN/ },
  { kind: "OAuth access token", pattern: /\bya29\.[\w-]{20,}/ },
]);

/**
 * @param {string} text
 * @returns {{ line: number, kind: string }[]} one entry per offending line (1-based), no secret
 */
export function findSecrets(text) {
  const hits = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const found = SECRET_PATTERNS.find(({ pattern }) => pattern.test(lines[i] ?? ""));
    if (found) hits.push({ line: i + 1, kind: found.kind });
  }
  return hits;
}
