import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FakeProject } from "./fake-project.mjs";

const FAKE_GCLOUD = path.join(__dirname, "fake-gcloud.mjs");

export interface GcloudCall {
  args: string[];
  exit: number;
}

const MUTATING =
  /^(services enable|iam service-accounts create|projects add-iam-policy-binding|iam service-accounts add-iam-policy-binding|projects remove-iam-policy-binding)/;

/**
 * A directory with the fake gcloud as `gcloud`, to put first on PATH, and the files it keeps the
 * project and its call log in.
 */
export function installFakeGcloud(project: FakeProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-gcloud-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const script = path.join(bin, "gcloud");
  writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_GCLOUD}" "$@"\n`);
  chmodSync(script, 0o755);
  const statePath = path.join(dir, "project.json");
  const logPath = path.join(dir, "calls.jsonl");
  writeFileSync(statePath, `${JSON.stringify(project, null, 2)}\n`);
  writeFileSync(logPath, "");
  return {
    dir,
    statePath,
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      FAKE_GCLOUD_STATE: statePath,
      FAKE_GCLOUD_LOG: logPath,
    } as Record<string, string>,
    state: (): FakeProject => JSON.parse(readFileSync(statePath, "utf8")) as FakeProject,
    stateText: (): string => readFileSync(statePath, "utf8"),
    calls: (): GcloudCall[] =>
      existsSync(logPath)
        ? readFileSync(logPath, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => JSON.parse(line) as GcloudCall)
        : [],
    clearCalls: (): void => writeFileSync(logPath, ""),
  };
}

export type FakeGcloud = ReturnType<typeof installFakeGcloud>;

export function isMutating(call: GcloudCall): boolean {
  return MUTATING.test(call.args.join(" "));
}
