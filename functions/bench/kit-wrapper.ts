import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { functionsDir } from "./functions-dir.js";

/**
 * The function kit installed the way `firebase functions:kits:install --package` installs it,
 * for the kit rows of the benchmark: the packed package (`npm pack`, as published) in a wrapper
 * scaffolded from firebase-tools 15's own templates (package-kit.json, tsconfig.json,
 * index-kit.ts), its SDKs at the versions the installer saves, compiled by tsc. Beside the
 * wrapper's entry, the same template without the kit (`export * from` left out): what any kit
 * costs, the baseline of the kit rows.
 */
export interface KitWrapper {
  readonly dir: string;
  /** The wrapper's compiled entry: what the Functions Framework loads for a kit instance. */
  readonly index: string;
  /** The template's own code with no kit behind it. */
  readonly emptyKit: string;
  /**
   * The wrapper as the kit's README suggests editing it: setGlobalOptions imported from
   * firebase-functions/v2/options instead of the package root, which loads every provider.
   */
  readonly leanKit: string;
}

const ROOT_IMPORT = 'import { setGlobalOptions } from "firebase-functions";';
const LEAN_IMPORT = 'import { setGlobalOptions } from "firebase-functions/v2/options";';

const KIT_PACKAGE = "fleet-engine-firebase-tokens";

function templates(repo: string): string {
  const dir = path.join(
    repo,
    "kit",
    "node_modules",
    "firebase-tools",
    "templates",
    "init",
    "functions",
    "typescript",
  );
  if (!existsSync(dir)) throw new Error(`firebase-tools 15's templates are not at ${dir}`);
  return dir;
}

function installedVersion(repo: string, name: string): string {
  const manifest = path.join(repo, "node_modules", name, "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

export function prepareKitWrapper(): KitWrapper {
  const repo = path.resolve(functionsDir(), "..");
  const dir = path.join(functionsDir(), ".bench", "kit-wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "src"), { recursive: true });

  const packed = JSON.parse(
    execFileSync("npm", ["pack", "-w", KIT_PACKAGE, "--pack-destination", dir, "--json"], {
      cwd: repo,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { filename: string }[];
  const tarball = path.join(dir, packed[0]?.filename ?? "");

  const from = templates(repo);
  const manifest = JSON.parse(
    readFileSync(path.join(from, "package-kit.json"), "utf8").replace(/{{RUNTIME}}/g, "22"),
  ) as Record<string, unknown>;
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ ...manifest, name: `${KIT_PACKAGE}-wrapper` }, null, 2),
  );
  copyFileSync(path.join(from, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  const index = readFileSync(path.join(from, "index-kit.ts"), "utf8").replace(
    /{{PACKAGE_NAME}}/g,
    KIT_PACKAGE,
  );
  const exportLine = `export * from "${KIT_PACKAGE}";`;
  if (!index.includes(exportLine))
    throw new Error("the kit template no longer re-exports a package");
  if (!index.includes(ROOT_IMPORT))
    throw new Error("the kit template imports setGlobalOptions otherwise");
  writeFileSync(path.join(dir, "src", "index.ts"), index);
  writeFileSync(path.join(dir, "src", "empty-kit.ts"), index.replace(exportLine, ""));
  writeFileSync(path.join(dir, "src", "lean-kit.ts"), index.replace(ROOT_IMPORT, LEAN_IMPORT));

  execFileSync(
    "npm",
    [
      "install",
      tarball,
      `firebase-functions@${installedVersion(repo, "firebase-functions")}`,
      `firebase-admin@${installedVersion(repo, "firebase-admin")}`,
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  execFileSync(
    process.execPath,
    [path.join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
    { cwd: dir, stdio: ["ignore", "inherit", "inherit"] },
  );
  return {
    dir,
    index: path.join(dir, "lib", "index.js"),
    emptyKit: path.join(dir, "lib", "empty-kit.js"),
    leanKit: path.join(dir, "lib", "lean-kit.js"),
  };
}
