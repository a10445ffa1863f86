import type { ParamsFile } from "../shared/env-file.js";
import { DEV_KEY_FILE_ENV } from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import type { Checklist, CheckResult } from "./checklist.js";

/**
 * What the params files hand the function besides its params. `firebase deploy` gives the
 * deployed function every line of `.env`, `.env.<project>` and `.env.<alias>` as its environment,
 * and firebase-tools refuses only reserved names (FIREBASE_*, K_SERVICE, ...). So a line can
 * tell a production function where its credentials come from, whom to trust over TLS, or what
 * code to load: each of the keys below is a FAIL in a deployable file (a WARN in `.env.local`,
 * which only the emulator reads and firebase.json keeps out of the upload). Any other key that is
 * neither a declared param nor a known dev-only variable is a WARN: a typo of a param, or a line
 * that does nothing here.
 */

/** Keys no deployed env file may set, and what each would do in production. */
export const DANGEROUS_KEYS: Readonly<Record<string, string>> = {
  FUNCTIONS_EMULATOR:
    "asks the function to act as the Functions emulator (sign with a key file); the function " +
    "refuses without the emulator's own FIREBASE_DEBUG_MODE, and the line must not ask",
  [DEV_KEY_FILE_ENV]: "names a private key file to sign with: a deployed function must never",
  FIRESTORE_EMULATOR_HOST:
    "the Firestore emulator's address: the function ignores it outside the emulator (it would " +
    "send the emulator's owner credential over plain HTTP there and trust the answer)",
  GOOGLE_APPLICATION_CREDENTIALS:
    "Application Default Credentials from a key file: IAM, Firestore and Auth would be called " +
    "as that key's account instead of the runtime account, with a key file in the upload",
  GCE_METADATA_HOST:
    "moves the metadata server: access tokens and the runtime account's email would come from " +
    "that host",
  GCE_METADATA_IP:
    "moves the metadata server: access tokens and the runtime account's email would come from " +
    "that address",
  METADATA_SERVER_DETECTION:
    "overrides how google-auth-library finds the metadata server (`none`: no credentials at all)",
  NODE_TLS_REJECT_UNAUTHORIZED:
    "`0` turns off certificate checks on every TLS connection: anyone on the path could read " +
    "and forge the function's IAM, Firestore and Auth traffic",
  NODE_OPTIONS: "starts Node with options from a params file (`--require` loads any code first)",
  NODE_EXTRA_CA_CERTS:
    "makes every TLS connection trust extra certificate authorities, enough to intercept the " +
    "function's Google API traffic",
  HTTPS_PROXY: "routes Google API calls, access tokens included, through a proxy",
  HTTP_PROXY: "routes HTTP calls through a proxy",
  GOOGLE_SDK_NODE_LOGGING:
    "turns on Google's client libraries' debug logs, which print metadata-server answers, " +
    "access tokens included",
};

/**
 * Dev-only variables that may sit in a params file without doing harm or good: the local stack
 * reads them from its own environment (README, "Local development").
 */
export const DEV_ONLY_KEYS: readonly string[] = ["FIRESTORE_EMULATOR_JAR"];

const TITLE = "no setting that redirects credentials, TLS or code";

/**
 * One check per file: the dangerous keys, then those that are not among `params` (the
 * installation's param names); one PASS if all are clean.
 */
export function checkEnvKeys(
  checklist: Checklist,
  files: readonly ParamsFile[],
  params: readonly string[],
): void {
  let clean = true;
  for (const file of files) {
    const results = [...dangerousKeys(file), ...unknownKeys(file, params)];
    for (const result of results) checklist.add(result);
    if (results.length > 0) clean = false;
  }
  if (clean) {
    checklist.add({
      status: "pass",
      title: `${TITLE}, and no key that is not a param`,
      detail: `none in ${files.map((file) => file.name).join(", ") || "the params files"}`,
    });
  }
}

function dangerousKeys(file: ParamsFile): CheckResult[] {
  const found = Object.keys(DANGEROUS_KEYS).filter((key) => Object.hasOwn(file.values, key));
  if (found.length === 0) return [];
  const where = displayPath(file.path);
  const what = found.map((key) => `${key}: ${DANGEROUS_KEYS[key]}`);
  const remove = `remove ${found.join(", ")} from ${where}`;
  if (file.role === "emulator") {
    // WARN, not FAIL: the deploy never reads .env.local and firebase.json keeps *.local out of
    // the upload, so this cannot reach production; but it is one copy away from a deployed file.
    return [
      {
        status: "warn",
        title: `${TITLE} in ${where}`,
        detail:
          `it sets ${found.join(", ")}; only the emulator reads this file (firebase deploy ` +
          "ignores it and does not upload it), so the deployed function is not affected",
        advice: [...what, remove, "never copy these lines into a file the deploy reads"],
      },
    ];
  }
  return [
    {
      status: "fail",
      title: `${TITLE} in ${where}`,
      detail:
        `it sets ${found.join(", ")}, and firebase deploy hands every line of this file to the ` +
        "deployed function as its environment" +
        (file.role === "alias" ? " (when the deploy names the project by this alias)" : ""),
      advice: [
        ...what,
        remove,
        `the emulator sets what it needs itself; npm start and the tests pass ${DEV_KEY_FILE_ENV} in their own environment`,
      ],
    },
  ];
}

function unknownKeys(file: ParamsFile, params: readonly string[]): CheckResult[] {
  const unknown = Object.keys(file.values).filter(
    (key) =>
      !params.includes(key) && !DEV_ONLY_KEYS.includes(key) && !Object.hasOwn(DANGEROUS_KEYS, key),
  );
  if (unknown.length === 0) return [];
  const where = displayPath(file.path);
  const guesses = unknown.flatMap((key) => {
    const param = closestParam(key, params);
    return param === undefined ? [] : [`${key}: did you mean ${param}?`];
  });
  return [
    {
      status: "warn",
      title: `keys that are not params in ${where}`,
      detail:
        `${unknown.join(", ")}: not a param of the function nor a known dev-only variable` +
        (file.role === "emulator"
          ? "; the emulator hands them to the function as its environment"
          : "; firebase deploy hands them to the function as its environment, where nothing reads them"),
      advice: [
        ...guesses,
        'the params are listed in README "Configuration"; remove lines nothing reads',
      ],
    },
  ];
}

/** The param a key is most likely a typo of (edit distance at most 2), if any. */
function closestParam(key: string, params: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of params) {
    const distance = editDistance(key, name);
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
