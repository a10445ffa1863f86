import functionsTest from "firebase-functions-test";
import type { CallableRequest } from "firebase-functions/https";
import { HttpsError } from "firebase-functions/https";
import { afterAll, describe, expect, it } from "vitest";
import { concurrency, maxInstances, minInstances } from "../../src/config/index.js";
import { region } from "../../src/entry/codebase-region.js";
import { getFleetEngineToken } from "../../src/index.js";

const test = functionsTest({ projectId: "demo-test" });
afterAll(() => test.cleanup());

function request(data: unknown, uid?: string): CallableRequest {
  return {
    data,
    acceptsStreaming: false,
    rawRequest: {} as CallableRequest["rawRequest"],
    auth:
      uid === undefined
        ? undefined
        : ({ uid, token: { uid }, rawToken: "raw" } as CallableRequest["auth"]),
  };
}

describe("the getFleetEngineToken callable boundary", () => {
  // callable-boundary.test.ts covers every code over injected services; this is the export.
  it("exports the callable with its HttpsError boundary (firebase-functions-test's wrap)", async () => {
    const wrapped = test.wrap(getFleetEngineToken);
    const call = async (req: CallableRequest): Promise<unknown> => await wrapped(req);
    const unauthenticated = await call(request({ type: "driver" })).catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(HttpsError);
    expect(unauthenticated).toMatchObject({ code: "unauthenticated" });

    const invalid = await call(request({ type: "nope" }, "u1")).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(HttpsError);
    expect(invalid).toMatchObject({ code: "invalid-argument" });
    expect((invalid as HttpsError).message).toMatch(/^type must be one of/);
    expect((invalid as HttpsError).details).toBeUndefined();
  });

  it("declares a v2 callable whose region is the REGION param, resolved by the CLI", () => {
    const endpoint = (getFleetEngineToken as unknown as { __endpoint: Record<string, unknown> })
      .__endpoint;
    expect(endpoint.platform).toBe("gcfv2");
    // The param itself, not a value read at load: the CLI turns it into {{ params.REGION }}.
    expect(endpoint.region).toBe(region);
    expect(region.toCEL()).toBe("{{ params.REGION }}");
    expect(endpoint.callableTrigger).toBeDefined();
  });

  it("scales by the MIN_INSTANCES, MAX_INSTANCES and CONCURRENCY params, on one full CPU", () => {
    const endpoint = (getFleetEngineToken as unknown as { __endpoint: Record<string, unknown> })
      .__endpoint;
    expect(endpoint.minInstances).toBe(minInstances);
    expect(endpoint.maxInstances).toBe(maxInstances);
    expect(endpoint.concurrency).toBe(concurrency);
    expect(minInstances.toCEL()).toBe("{{ params.MIN_INSTANCES }}");
    expect(concurrency.toCEL()).toBe("{{ params.CONCURRENCY }}");
    // Concurrency above 1 needs cpu >= 1 on gen 2; set explicitly, not left to a global option.
    expect(endpoint.cpu).toBe(1);
    expect(endpoint.availableMemoryMb).toBe(256);
  });
});
