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
