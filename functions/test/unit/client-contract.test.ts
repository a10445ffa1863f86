import { describe, expect, it } from "vitest";
import { authorizationFor } from "../../src/token/claims.js";
import { TOKEN_TYPES } from "../../src/token-types.js";

/**
 * The web client package restates the callable's contract for app developers (it cannot depend
 * on this codebase). This keeps the two statements equal: the same token types, and for each
 * the same authorization claim keys.
 */
describe("the web client's copy of the contract", () => {
  it("has the same token types and claim keys as the function", async () => {
    const client = await import("../../../web-client/src/token-types.js");
    expect([...client.TOKEN_TYPES]).toEqual([...TOKEN_TYPES]);
    for (const type of TOKEN_TYPES) {
      expect([...client.AUTHORIZATION_KEYS[type]].sort()).toEqual(
        Object.keys(authorizationFor(type, "id-1")).sort(),
      );
    }
  });
});
