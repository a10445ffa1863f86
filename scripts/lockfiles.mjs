#!/usr/bin/env node
// @ts-check
/**
 * Writes the lockfiles that travel without the rest of the repository, from the root lockfile,
 * so that what users install is exactly what the tests ran with:
 *
 * - functions/package-lock.json: the cloud build of a clone's deployment installs functions/ on
 *   its own (`npm ci` when a lockfile is present);
 * - kit/npm-shrinkwrap.json: the published kit's lock of its own runtime dependencies, which npm
 *   honours when the kit is installed (the Firebase CLI warns about a kit without one). The
 *   kit's peer dependencies (firebase-functions, firebase-admin) are the app's, never locked.
 *
 * `--check` fails when a file is stale.
 *
 *   node scripts/lockfiles.mjs          # write them
 *   node scripts/lockfiles.mjs --check  # verify them (part of npm run lint)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/paths.mjs";

const rootLock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
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

/**
 * The lockfile of `workspace`, as if it were installed on its own: its dependencies and theirs,
 * at the root lockfile's versions and places.
 * @param {string} workspace
 * @param {{ lockPeers: boolean }} options whether the workspace's own peer dependencies are locked
 */
function workspaceLock(workspace, { lockPeers }) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, workspace, "package.json"), "utf8"));
  const top = lockPeers ? manifest : { dependencies: manifest.dependencies };
  /** @type {Record<string, any>} */
  const out = {};
  /** @type {Map<string, string>} target key -> source key */
  const sources = new Map();
  const queue = [workspace];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const from = /** @type {string} */ (queue.shift());
    const entry = from === workspace ? top : packages[from];
    for (const name of requiredNames(entry)) {
      const found = resolve(from, name);
      if (found === undefined) {
        if (entry.optionalDependencies?.[name] || entry.peerDependencies?.[name]) continue;
        throw new Error(`${from} needs ${name}, which the root lockfile does not have`);
      }
      if (seen.has(found)) continue;
      seen.add(found);
      queue.push(found);
      const target = found.startsWith(`${workspace}/`) ? found.slice(workspace.length + 1) : found;
      if (sources.has(target) && sources.get(target) !== found) {
        throw new Error(
          `${target} resolves differently inside and outside ${workspace}/; run npm dedupe`,
        );
      }
      sources.set(target, found);
      // A package that dev tooling also uses is "devOptional" in the root lockfile; on its own,
      // the workspace needs it as "optional", which npm writes last. Normalising keeps this file
      // unchanged when only dev dependencies of the repository change.
      const { dev: _dev, devOptional, optional, ...rest } = packages[found];
      out[target] = devOptional || optional ? { ...rest, optional: true } : rest;
    }
  }

  return {
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
        ...(manifest.peerDependencies ? { peerDependencies: manifest.peerDependencies } : {}),
        ...(manifest.bin ? { bin: manifest.bin } : {}),
        engines: manifest.engines,
      },
      ...Object.fromEntries(
        Object.keys(out)
          .sort()
          .map((key) => [key, out[key]]),
      ),
    },
  };
}

/**
 * @param {string} relativeFile
 * @param {Record<string, any>} lock
 * @returns {boolean} whether the file was up to date (or was written)
 */
function writeOrCheck(relativeFile, lock) {
  const file = path.join(ROOT, relativeFile);
  const text = JSON.stringify(lock, null, 2) + "\n";
  const count = Object.keys(lock.packages).length - 1;
  if (!process.argv.includes("--check")) {
    writeFileSync(file, text);
    console.log(`Wrote ${relativeFile} (${count} packages).`);
    return true;
  }
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error(`${relativeFile} is stale. Run: node scripts/lockfiles.mjs`);
    return false;
  }
  console.log(`${relativeFile} matches the root lockfile (${count} packages).`);
  return true;
}

const fresh = [
  writeOrCheck("functions/package-lock.json", workspaceLock("functions", { lockPeers: true })),
  writeOrCheck("kit/npm-shrinkwrap.json", workspaceLock("kit", { lockPeers: false })),
];
if (fresh.includes(false)) process.exit(1);
