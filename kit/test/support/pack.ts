import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "./processes.js";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * `npm pack -w fleet-engine-firebase-tokens`, the way a release packs it (prepack builds lib/):
 * the tarball npm publish would upload. Returns its path.
 */
export async function packKit(destination: string): Promise<string> {
  const output = await run(
    "npm",
    ["pack", "-w", "fleet-engine-firebase-tokens", "--pack-destination", destination, "--json"],
    { cwd: ROOT, env: process.env },
  );
  const [packed] = JSON.parse(output.slice(output.indexOf("["))) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack printed no tarball:\n${output}`);
  return path.join(destination, packed.filename);
}

/**
 * The packed kit again under another version (a stand-in for the next release): unpacked, its
 * version set in package.json and npm-shrinkwrap.json, packed without scripts.
 */
export async function repackAs(destination: string, version: string): Promise<string> {
  const dir = mkdtempSync(path.join(destination, "repack-"));
  const tarball = await packKit(dir);
  await run("tar", ["-xzf", tarball, "-C", dir], { cwd: dir, env: process.env });
  const unpacked = path.join(dir, "package");
  for (const file of ["package.json", "npm-shrinkwrap.json"]) {
    const json = JSON.parse(readFileSync(path.join(unpacked, file), "utf8")) as {
      version: string;
      packages?: Record<string, { version?: string }>;
    };
    json.version = version;
    const root = json.packages?.[""];
    if (root !== undefined) root.version = version;
    writeFileSync(path.join(unpacked, file), `${JSON.stringify(json, null, 2)}\n`);
  }
  const output = await run(
    "npm",
    ["pack", unpacked, "--ignore-scripts", "--pack-destination", destination, "--json"],
    { cwd: dir, env: process.env },
  );
  const [packed] = JSON.parse(output.slice(output.indexOf("["))) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack printed no tarball:\n${output}`);
  return path.join(destination, packed.filename);
}
