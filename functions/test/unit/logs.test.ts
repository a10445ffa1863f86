import { describe, expect, it } from "vitest";
import { createLogs, redact } from "../../src/logs.js";
import { CapturedLogs } from "../support/capture-logs.js";

const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhQGIifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";

describe("redact", () => {
  it("removes JWTs, private keys and bearer credentials", () => {
    const text = `token ${JWT} key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- h Bearer ya29.abc`;
    const out = redact(text);
    expect(out).not.toContain("eyJ");
    expect(out).not.toContain("MIIE");
    expect(out).not.toContain("ya29");
    expect(out).toContain("[redacted-jwt]");
    expect(out).toContain("[redacted-key]");
  });

  it("leaves ordinary identifiers alone", () => {
    expect(redact("vehicle v-1 trip trip_42")).toBe("vehicle v-1 trip trip_42");
  });
});

describe("createLogs", () => {
  it("never lets details override the event's own fields, and redacts every string", () => {
    const sink = new CapturedLogs();
    createLogs(sink).failed({
      uid: "u",
      type: "driver",
      resourceId: undefined,
      code: "misconfigured",
      reason: "iam-permission",
      details: { outcome: "issued", account: "a@b.iam.gserviceaccount.com" },
      message: `IAM said ${JWT}`,
    });
    expect(sink.entries).toHaveLength(1);
    expect(sink.entries[0]).toMatchObject({
      severity: "ERROR",
      payload: { outcome: "failed", account: "a@b.iam.gserviceaccount.com" },
    });
    expect(sink.text()).not.toContain("eyJ");
    expect("resourceId" in (sink.entries[0]?.payload ?? {})).toBe(false);
  });

  it("logs transient failures as warnings, not errors", () => {
    const sink = new CapturedLogs();
    createLogs(sink).failed({
      uid: "u",
      type: "driver",
      resourceId: "v",
      code: "backend-unavailable",
      reason: "iam-unavailable",
      details: {},
      message: "HTTP 503",
    });
    expect(sink.entries[0]?.severity).toBe("WARNING");
  });
});
