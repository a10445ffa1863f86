import { FunctionsError } from "firebase/functions";
import { describe, expect, it } from "vitest";
import {
  FleetEngineTokenError,
  isFleetEngineTokenError,
  toFleetEngineTokenError,
} from "../../src/errors.js";

describe("toFleetEngineTokenError", () => {
  it("keeps a FunctionsError's code without the functions/ prefix, its message and details", () => {
    const original = new FunctionsError("permission-denied", "Not yours.", { why: "x" });
    const error = toFleetEngineTokenError(original);
    expect(error).toBeInstanceOf(FleetEngineTokenError);
    expect(error).toMatchObject({
      name: "FleetEngineTokenError",
      code: "permission-denied",
      message: "Not yours.",
      details: { why: "x" },
    });
    expect(error.cause).toBe(original);
  });

  it.each(["unauthenticated", "invalid-argument", "unavailable", "failed-precondition"] as const)(
    "keeps %s",
    (code) => {
      expect(toFleetEngineTokenError(new FunctionsError(code, "m")).code).toBe(code);
    },
  );

  it("recognises a FunctionsError from another copy of the SDK by its code", () => {
    const lookalike = Object.assign(new Error("down"), { code: "functions/unavailable" });
    expect(toFleetEngineTokenError(lookalike).code).toBe("unavailable");
  });

  it("maps unknown codes and other errors to unknown, keeping the cause", () => {
    const odd = Object.assign(new Error("?"), { code: "functions/brand-new" });
    expect(toFleetEngineTokenError(odd).code).toBe("unknown");
    const plain = new TypeError("boom");
    const error = toFleetEngineTokenError(plain);
    expect(error.code).toBe("unknown");
    expect(error.message).toContain("boom");
    expect(error.cause).toBe(plain);
  });

  it("passes a FleetEngineTokenError through unchanged", () => {
    const error = new FleetEngineTokenError("invalid-response", "bad");
    expect(toFleetEngineTokenError(error)).toBe(error);
  });
});

describe("isFleetEngineTokenError", () => {
  it("checks the class and, when asked, the code", () => {
    const error = new FleetEngineTokenError("permission-denied", "no");
    expect(isFleetEngineTokenError(error)).toBe(true);
    expect(isFleetEngineTokenError(error, "permission-denied")).toBe(true);
    expect(isFleetEngineTokenError(error, "unauthenticated")).toBe(false);
    expect(isFleetEngineTokenError(new Error("no"))).toBe(false);
  });
});
