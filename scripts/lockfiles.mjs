#!/usr/bin/env node
// @ts-check
/**
 * Writes functions/package-lock.json from the root lockfile, so that the cloud build of a
 * deployment (which installs functions/ on its own, with `npm ci` when a lockfile is present)
 * gets exactly the versions the tests ran with. `--check` fails when the file is stale.
 *
 *   node scripts/functions-lockfile.mjs          # write it
 *   node scripts/functions-lockfile.mjs --check  # verify it (part of npm test)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/paths.mjs";

const WORKSPACE = "functions";
const rootLock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
const manifest = JSON.parse(readFileSync(path.join(ROOT, WORKSPACE, "package.json"), "utf8"));
/** @type {Record<string, any>} */
const packages = rootLock.packages;

/** Node's lookup: the package's own node_modules, then each ancestor's, then the root's. */
function resolve(/** @type {string} */ from, /** @type {string} */ name) {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === "") return undefined;
    const index = base.lastIndexOf("/node_modules/");
    base = index === -1 ? "" : base.slice(0, index);
  }
}

/** @param {any} entry */
function requiredNames(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
}

/** @type {Record<string, any>} */
const out = {};
/** @type {Map<string, string>} target key -> source key */
const sources = new Map();
const queue = [WORKSPACE];
const seen = new Set(queue);
while (queue.length > 0) {
  const from = /** @type {string} */ (queue.shift());
  const entry = from === WORKSPACE ? manifest : packages[from];
  for (const name of requiredNames(entry)) {
    const found = resolve(from, name);
    if (found === undefined) {
      if (entry.optionalDependencies?.[name] || entry.peerDependencies?.[name]) continue;
      throw new Error(`${from} needs ${name}, which the root lockfile does not have`);
    }
    if (seen.has(found)) continue;
    seen.add(found);
    queue.push(found);
    const target = found.startsWith(`${WORKSPACE}/`) ? found.slice(WORKSPACE.length + 1) : found;
    if (sources.has(target) && sources.get(target) !== found) {
      throw new Error(
        `${target} resolves differently inside and outside ${WORKSPACE}/; run npm dedupe`,
      );
    }
    sources.set(target, found);
    // A package that dev tooling also uses is "devOptional" in the root lockfile; on its own,
    // functions/ needs it as "optional", which npm writes last. Normalising keeps this file
    // unchanged when only dev dependencies of the repository change.
    const { dev: _dev, devOptional, optional, ...rest } = packages[found];
    out[target] = devOptional || optional ? { ...rest, optional: true } : rest;
  }
}

const lock = {
  name: manifest.name,
  version: manifest.version,
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": {
      name: manifest.name,
      version: manifest.version,
      ...(manifest.license ? { license: manifest.license } : {}),
      dependencies: manifest.dependencies,
      engines: manifest.engines,
    },
    ...Object.fromEntries(
      Object.keys(out)
        .sort()
        .map((key) => [key, out[key]]),
    ),
  },
};

const file = path.join(ROOT, WORKSPACE, "package-lock.json");
const text = JSON.stringify(lock, null, 2) + "\n";
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error(
      `${path.relative(process.cwd(), file)} is stale. Run: node scripts/functions-lockfile.mjs`,
    );
    process.exit(1);
  }
  console.log(
    `${WORKSPACE}/package-lock.json matches the root lockfile (${Object.keys(out).length} packages).`,
  );
} else {
  writeFileSync(file, text);
  console.log(`Wrote ${path.relative(process.cwd(), file)} (${Object.keys(out).length} packages).`);
}
