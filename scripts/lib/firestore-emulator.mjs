// @ts-check
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RUNTIME_DIR } from "./paths.mjs";

/**
 * Google's Firestore emulator for firebase-tools, on machines where firebase-tools cannot
 * download its own jar. The Debian/RPM package google-cloud-cli-firestore-emulator ships the
 * same emulator inside the Cloud SDK; its jar has no Main-Class, so firebase-tools (which runs
 * `java -jar $FIRESTORE_EMULATOR_BINARY_PATH`) is pointed at a tiny wrapper jar whose manifest
 * names the main class and puts the SDK's jar on the class path.
 */

const JAR_NAME = "cloud-firestore-emulator.jar";
const SDK_RELATIVE = path.join("platform", "cloud-firestore-emulator", JAR_NAME);
const MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

/** @param {string} command @param {string[]} args */
function tryRun(command, args) {
  try {
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20000,
    });
  } catch {
    return undefined;
  }
}

/** Where firebase-tools keeps the emulators it downloaded. */
function firebaseToolsCacheDir(env = process.env) {
  return env.FIREBASE_EMULATORS_PATH || path.join(os.homedir(), ".cache", "firebase", "emulators");
}

/** A Firestore emulator jar that firebase-tools downloaded earlier, if any. */
export function cachedFirebaseToolsJar(env = process.env) {
  const dir = firebaseToolsCacheDir(env);
  if (!existsSync(dir)) return undefined;
  const jar = readdirSync(dir).find((name) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(name));
  return jar ? path.join(dir, jar) : undefined;
}

/**
 * Finds the Cloud SDK's Firestore emulator jar: FIRESTORE_EMULATOR_JAR, then the package
 * manager's file list, then `gcloud info`, then the usual install roots.
 * @returns {string | undefined}
 */
export function locateCloudSdkJar(env = process.env) {
  if (env.FIRESTORE_EMULATOR_JAR)
    return existsSync(env.FIRESTORE_EMULATOR_JAR) ? env.FIRESTORE_EMULATOR_JAR : undefined;
  const listed =
    tryRun("dpkg", ["-L", "google-cloud-cli-firestore-emulator"]) ??
    tryRun("rpm", ["-ql", "google-cloud-cli-firestore-emulator"]);
  const fromPackage = listed?.split("\n").find((line) => line.trim().endsWith(`/${JAR_NAME}`));
  if (fromPackage && existsSync(fromPackage.trim())) return fromPackage.trim();

  const roots = [env.CLOUDSDK_ROOT_DIR];
  const sdkRoot = tryRun("gcloud", ["info", "--format=value(installation.sdk_root)"])?.trim();
  roots.push(sdkRoot);
  roots.push(
    "/usr/lib/google-cloud-sdk",
    "/usr/share/google-cloud-sdk",
    "/opt/google-cloud-sdk",
    "/snap/google-cloud-cli/current",
    path.join(os.homedir(), "google-cloud-sdk"),
  );
  for (const root of roots) {
    if (root && existsSync(path.join(root, SDK_RELATIVE))) return path.join(root, SDK_RELATIVE);
  }
  return undefined;
}

/** The Java major version on PATH, or undefined when there is no java. */
export function javaMajorVersion() {
  const result = spawnSync("java", ["-version"], { encoding: "utf8", timeout: 20000 });
  if (result.error) return undefined;
  return parseJavaVersion(`${result.stdout}\n${result.stderr}`);
}

/** @param {string} text */
function parseJavaVersion(text) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/**
 * Decides how firebase-tools gets its Firestore emulator and returns the env to run it with.
 * @returns {{ env: Record<string, string>, source: string }}
 */
export function prepareFirestoreEmulator(env = process.env) {
  if (env.FIRESTORE_EMULATOR_BINARY_PATH) {
    return {
      env: {},
      source: `FIRESTORE_EMULATOR_BINARY_PATH=${env.FIRESTORE_EMULATOR_BINARY_PATH}`,
    };
  }
  const sdkJar = locateCloudSdkJar(env);
  if (sdkJar) {
    const wrapper = writeWrapperJar(sdkJar);
    return { env: { FIRESTORE_EMULATOR_BINARY_PATH: wrapper }, source: sdkJar };
  }
  const cached = cachedFirebaseToolsJar(env);
  if (cached) return { env: {}, source: cached };
  return { env: {}, source: "firebase-tools download" };
}

/** @param {string} sdkJar @returns {string} the wrapper jar's path */
export function writeWrapperJar(sdkJar) {
  mkdirSync(RUNTIME_DIR, { recursive: true });
  const file = path.join(RUNTIME_DIR, "firestore-emulator-wrapper.jar");
  const classPath = encodeURI(sdkJar.split(path.sep).join("/"));
  const manifest =
    manifestLine("Manifest-Version: 1.0") +
    manifestLine(`Main-Class: ${MAIN_CLASS}`) +
    manifestLine(`Class-Path: ${classPath}`) +
    "\r\n";
  writeFileSync(file, storedZip("META-INF/MANIFEST.MF", Buffer.from(manifest, "utf8")));
  return file;
}

/** Manifest lines are at most 72 bytes; longer ones continue on lines that start with a space. */
function manifestLine(/** @type {string} */ line) {
  const chunks = [];
  let rest = line;
  chunks.push(rest.slice(0, 70));
  rest = rest.slice(70);
  while (rest.length > 0) {
    chunks.push(" " + rest.slice(0, 69));
    rest = rest.slice(69);
  }
  return chunks.map((chunk) => chunk + "\r\n").join("");
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Buffer} data */
function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive holding one uncompressed entry: all a manifest-only jar needs. */
function storedZip(/** @type {string} */ name, /** @type {Buffer} */ data) {
  const nameBytes = Buffer.from(name, "utf8");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(0, 10); // time, date
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // version made by
  central.writeUInt16LE(10, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt32LE(0, 12);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  // extra, comment, disk, internal attributes, external attributes, local header offset: all 0
  const centralOffset = local.length + nameBytes.length + data.length;
  const centralSize = central.length + nameBytes.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}
