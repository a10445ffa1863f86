// @ts-check
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_MODEL, dataModel } from "../lib/params.mjs";
import { ROOT } from "../lib/paths.mjs";
import { renderRules } from "../lib/rules.mjs";

const SCRIPT = path.join(ROOT, "scripts", "rules.mjs");

/** @param {string[]} args */
function run(args) {
  try {
    return {
      code: 0,
      out: execFileSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" }),
    };
  } catch (error) {
    const failed = /** @type {{ status: number, stdout: string, stderr: string }} */ (error);
    return { code: failed.status, out: failed.stdout + failed.stderr };
  }
}

describe("generated Firestore rules", () => {
  it("name the configured collections and nested field paths", () => {
    const rules = renderRules(
      dataModel({
        DRIVERS_COLLECTION: "users",
        TRIPS_COLLECTION: "rides",
        TRIP_CONSUMERS_FIELD: "riderUid",
        SHIPMENT_CONSUMERS_FIELD: "recipients.uids",
        TASKS_COLLECTION: "stops",
        TASK_CONSUMERS_FIELD: "stop.recipientUid",
      }),
      "test",
    );
    expect(rules).toContain("match /users/{uid} {");
    expect(rules).toContain("match /rides/{tripId} {");
    expect(rules).toContain("listsCaller(resource.data.get(['riderUid'], null))");
    expect(rules).toContain("listsCaller(resource.data.get(['recipients', 'uids'], null))");
    expect(rules).toContain("match /stops/{taskId} {");
    expect(rules).toContain("listsCaller(resource.data.get(['stop', 'recipientUid'], null))");
    expect(rules).not.toContain("match /drivers/");
    expect(rules).not.toContain("match /tasks/");
    expect(rules).not.toContain("consumerUids");
    // Server-owned, deny by default.
    expect(rules.match(/allow (list, )?write: if false;/g)).toHaveLength(4);
    expect(rules).toContain("match /{document=**} {\n      allow read, write: if false;");
  });

  it("are written for a project's params by `npm run rules -- --project P`", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rules-params-"));
    writeFileSync(path.join(dir, ".env"), "TRIPS_COLLECTION=trips\n");
    writeFileSync(
      path.join(dir, ".env.my-app"),
      "TRIPS_COLLECTION=rides\nTRIP_CONSUMERS_FIELD=riderUid\n",
    );
    writeFileSync(path.join(dir, ".env.local"), "TRIPS_COLLECTION=emulator-only\n");
    const out = path.join(dir, "firestore.rules");
    const result = run(["--params-dir", dir, "--project", "my-app", "--out", out]);
    expect(result.code).toBe(0);
    const rules = readFileSync(out, "utf8");
    expect(rules).toContain("match /rides/{tripId}");
    expect(rules).toContain("['riderUid']");
    expect(rules).not.toContain("emulator-only");
  });

  it("refuse a bad param, naming it, and write nothing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rules-params-"));
    writeFileSync(path.join(dir, ".env"), "DRIVER_VEHICLE_FIELD=fleet..vehicleId\n");
    const out = path.join(dir, "firestore.rules");
    const result = run(["--params-dir", dir, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.out).toContain("param DRIVER_VEHICLE_FIELD");
    expect(() => readFileSync(out)).toThrow();
  });

  it("--check fails on rules that are not functions/.env's, and passes on the committed file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rules-check-"));
    const stale = path.join(dir, "firestore.rules");
    writeFileSync(stale, renderRules(dataModel({ TRIPS_COLLECTION: "rides" }), "functions/.env"));
    expect(run(["--check", "--out", stale]).code).toBe(1);
    writeFileSync(stale, renderRules(DEFAULT_DATA_MODEL, "functions/.env"));
    expect(run(["--check", "--out", stale]).code).toBe(0);
    expect(run(["--check"]).code).toBe(0);
  });
});
