// @ts-check
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../lib/paths.mjs";

/**
 * The iOS token cache of docs/clients.md is per user: keyed by uid as well as by request, emptied
 * when the uid changes, and a token whose call finished after the user changed is never stored
 * or returned. There is no Swift toolchain for the Linux machines this repository is tested on,
 * so this is a doc lint: it reads the reference code and checks that those guards are there, in
 * that order. It cannot prove the code compiles or behaves; review and a real app build do that.
 * (The Android cache is compiled and run on the JVM instead: android-reference/.)
 */
const doc = readFileSync(path.join(ROOT, "docs", "clients.md"), "utf8");

/** @param {string} language @param {string} marker */
function block(language, marker) {
  const found = [...doc.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))]
    .map((match) => match[1] ?? "")
    .find((code) => code.includes(marker));
  if (found === undefined) throw new Error(`no ${language} block with ${marker} in clients.md`);
  return found;
}

/** Asserts that the patterns occur in `code` in this order; returns their positions. */
function inOrder(/** @type {string} */ code, /** @type {RegExp[]} */ patterns) {
  let from = 0;
  return patterns.map((pattern) => {
    const at = code.slice(from).search(pattern);
    expect(at, `${pattern} after position ${from}`).toBeGreaterThanOrEqual(0);
    from += at + 1;
    return from - 1;
  });
}

describe("docs/clients.md iOS cache (Swift)", () => {
  const swift = block("swift", "actor FleetEngineTokens");

  it("keys tokens and calls in flight by uid and request", () => {
    expect(swift).toMatch(
      /struct Key: Hashable \{\s*let uid: String\s*let request: \[String: String\]\s*\}/,
    );
    expect(swift).toMatch(/private var cache: \[Key: Cached\]/);
    expect(swift).toMatch(/private var inFlight: \[Key: Task<Cached, Error>\]/);
    expect(swift).toMatch(/let key = Key\(uid: uid, request: request\)/);
    expect(swift).not.toMatch(/cache\[request\]/);
  });

  it("drops every token and call in flight, and bumps the generation, when the uid changes", () => {
    inOrder(swift, [
      /guard let uid = auth\.currentUser\?\.uid/,
      /if uid != cacheUID \{[^\n]*\n\s*dropAll\(\)\s*cacheUID = uid/,
    ]);
    const dropAll = /private func dropAll\(\) \{([\s\S]*?)\n {2}\}/.exec(swift)?.[1] ?? "";
    expect(dropAll).toMatch(/generation \+= 1/);
    expect(dropAll).toMatch(/cache\.removeAll\(\)/);
    expect(dropAll).toMatch(/inFlight\.removeAll\(\)/);
    expect(swift).toMatch(/func clear\(\) \{\s*dropAll\(\)/);
  });

  it("checks the generation and the uid after the await, before storing or returning", () => {
    inOrder(swift, [
      /let started = generation/,
      /let fresh = try await task\.value/,
      /guard generation == started, auth\.currentUser\?\.uid == uid else \{\s*throw /,
      /cache\[key\] = fresh/,
      /return fresh\.token/,
    ]);
  });
});

describe("docs/clients.md iOS driver authorization (Swift)", () => {
  const swift = block("swift", "GMTDAuthorization {");

  it("passes the SDK's task ID for a trusted delivery driver, and for no other type", () => {
    inOrder(swift, [
      /if type == "trustedDeliveryDriver", let taskID = authorizationContext\?\.taskID \{/,
      /request\["taskId"\] = taskID/,
      /Task \{/,
    ]);
    expect(swift.match(/taskID/g)).toHaveLength(3);
    // A delivery driver's vehicle, trusted or not, goes in deliveryVehicleId.
    expect(swift).toMatch(/request\[type == "driver" \? "vehicleId" : "deliveryVehicleId"\]/);
  });
});
