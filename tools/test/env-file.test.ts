import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadDeployParams,
  ParamsFileError,
  readParamsFiles,
  resolveDeployTarget,
  setEnvValues,
} from "../src/shared/env-file.js";

describe("setEnvValues", () => {
  const values = [
    ["A", "1"],
    ["B", "2"],
  ] as const;

  it("creates a file with a header when there is none", () => {
    expect(setEnvValues("", values, "why")).toBe("# why\nA=1\nB=2\n");
  });

  it("rewrites existing keys in place, drops their duplicates, keeps every other line", () => {
    const text = "# mine\nX=keep # note\nB=old\n\nexport A=old\nB=older\n";
    expect(setEnvValues(text, values, "why")).toBe("# mine\nX=keep # note\nB=2\n\nA=1\n");
  });

  it("appends only the missing keys, after a blank line", () => {
    expect(setEnvValues("X=1", values, "why")).toBe("X=1\n\n# why\nA=1\nB=2\n");
  });

  it("is idempotent", () => {
    const once = setEnvValues("X=1\nB=0\n", values, "why");
    expect(setEnvValues(once, values, "why")).toBe(once);
  });
});

describe("loadDeployParams", () => {
  function dir(files: Record<string, string>): string {
    const d = mkdtempSync(path.join(tmpdir(), "fe-env-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d, name), text);
    return d;
  }

  it("reads .env and lets .env.<project> override it, as firebase deploy does", () => {
    const d = dir({ ".env": "A=1\nB=2\n", ".env.p-1": "B=3\n", ".env.other": "A=9\n" });
    expect(loadDeployParams(d, "p-1")).toEqual({ A: "1", B: "3" });
  });

  it("ignores .env.local, which only the emulator reads", () => {
    expect(loadDeployParams(dir({ ".env": "A=1\n", ".env.local": "A=2\n" }), "p-1")).toEqual({
      A: "1",
    });
  });

  it("reports the lines and keys firebase deploy would refuse", () => {
    const d = dir({ ".env": "A=1\n", ".env.p-1": "not a line\n" });
    expect(() => loadDeployParams(d, "p-1")).toThrow(ParamsFileError);
    expect(() => loadDeployParams(d, "p-1")).toThrow(/not a line/);
    const reserved = dir({ ".env.p-1": "FIREBASE_X=1\n" });
    expect(() => loadDeployParams(reserved, "p-1")).toThrow(/FIREBASE_X/);
  });
});

describe("aliases, as firebase deploy resolves --project", () => {
  function project(rc: unknown, files: Record<string, string>) {
    const projectDir = mkdtempSync(path.join(tmpdir(), "fe-rc-"));
    writeFileSync(path.join(projectDir, ".firebaserc"), JSON.stringify(rc));
    const configDir = mkdtempSync(path.join(tmpdir(), "fe-config-"));
    for (const [name, text] of Object.entries(files))
      writeFileSync(path.join(configDir, name), text);
    return { projectDir, configDir };
  }
  const rc = { projects: { default: "p-dev-1", prod: "p-prod-1", live: "p-prod-1" } };

  it("takes an alias of .firebaserc for its project ID, and anything else for an ID", () => {
    const { projectDir } = project(rc, {});
    expect(resolveDeployTarget(projectDir, "prod")).toEqual({
      projectId: "p-prod-1",
      alias: "prod",
      aliases: ["prod", "live"],
    });
    expect(resolveDeployTarget(projectDir, "p-prod-1")).toEqual({
      projectId: "p-prod-1",
      alias: undefined,
      aliases: ["prod", "live"],
    });
    expect(resolveDeployTarget(projectDir, "p-other-1")).toEqual({
      projectId: "p-other-1",
      alias: undefined,
      aliases: [],
    });
  });

  it("loads .env.<alias> for a deploy invoked with the alias, and only then", () => {
    const { projectDir, configDir } = project(rc, {
      ".env": "A=1\nB=1\n",
      ".env.prod": "B=prod\nFUNCTIONS_EMULATOR=true\n",
      ".env.live": "B=live\n",
    });
    expect(loadDeployParams(configDir, resolveDeployTarget(projectDir, "prod"))).toEqual({
      A: "1",
      B: "prod",
      FUNCTIONS_EMULATOR: "true",
    });
    expect(loadDeployParams(configDir, resolveDeployTarget(projectDir, "p-prod-1"))).toEqual({
      A: "1",
      B: "1",
    });
    // Every file some deploy of the project reads, and whose deploy it is.
    expect(
      readParamsFiles(configDir, resolveDeployTarget(projectDir, "prod")).map((f) => [
        f.name,
        f.role,
      ]),
    ).toEqual([
      [".env", "deploy"],
      [".env.prod", "deploy"],
      [".env.live", "alias"],
    ]);
  });

  it("refuses .env.<project ID> beside .env.<alias>, as firebase deploy does", () => {
    const { projectDir, configDir } = project(rc, {
      ".env.p-prod-1": "A=1\n",
      ".env.prod": "A=2\n",
    });
    expect(() => loadDeployParams(configDir, resolveDeployTarget(projectDir, "prod"))).toThrow(
      /Can't have both/,
    );
  });
});
