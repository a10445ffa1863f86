import { describe, expect, it } from "vitest";
import { authorizationFor } from "../../src/token/claims.js";
import { TOKEN_TYPES, TOKEN_TYPE_SPECS } from "../../src/token-types.js";

/**
 * The web client package restates the callable's contract for app developers (it cannot depend
 * on this codebase). This keeps the two statements equal: the same token types, and for each
 * the same authorization claim keys, with and without a task.
 */
describe("the web client's copy of the contract", () => {
  it("has the same token types and claim keys as the function", async () => {
    const client = await import("../../../web-client/src/token-types.js");
    expect([...client.TOKEN_TYPES]).toEqual([...TOKEN_TYPES]);
    for (const type of TOKEN_TYPES) {
      expect([...client.AUTHORIZATION_KEYS[type]].sort()).toEqual(
        Object.keys(authorizationFor(type, "id-1")).sort(),
      );
      const task = TOKEN_TYPE_SPECS[type].task;
      const byTask =
        task === undefined
          ? undefined
          : authorizationFor(type, task === "instead" ? undefined : "id-1", "task-1");
      expect(
        client.TASK_AUTHORIZATION_KEYS[type] && [...client.TASK_AUTHORIZATION_KEYS[type]].sort(),
      ).toEqual(byTask && Object.keys(byTask).sort());
    }
  });
});
