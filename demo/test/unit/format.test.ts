import { describe, expect, it } from "vitest";
import { formatClaims, formatCountdown } from "../../src/format.js";

describe("formatCountdown", () => {
  it.each([
    [3600, "1:00:00"],
    [3599, "59:59"],
    [330, "5:30"],
    [9, "0:09"],
    [0, "0:00"],
    [-5, "0:00"],
    [59.9, "0:59"],
  ])("shows %s s as %s", (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });
});

describe("formatClaims", () => {
  it("keeps every claim and annotates iat and exp with a time", () => {
    const text = formatClaims({
      iss: "a@b",
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      authorization: { tripid: "trip-1" },
    });
    expect(text).toContain('"iss": "a@b"');
    expect(text).toMatch(/"iat": 1800000000, {2}\/\/ \d\d:\d\d:\d\d/);
    expect(text).toMatch(/"exp": 1800003600, {2}\/\/ \d\d:\d\d:\d\d/);
    expect(text).toContain('"tripid": "trip-1"');
  });
});
