/// <reference types="google.maps" />
import { describe, expectTypeOf, it } from "vitest";
import { createAuthTokenFetcher } from "../../src/index.js";

describe("types", () => {
  it("createAuthTokenFetcher returns a google.maps.journeySharing.AuthTokenFetcher", () => {
    // Checked by `npm run typecheck`: a mismatch with @types/google.maps fails to compile.
    expectTypeOf(
      createAuthTokenFetcher,
    ).returns.toExtend<google.maps.journeySharing.AuthTokenFetcher>();
    expectTypeOf<google.maps.journeySharing.AuthTokenFetcherOptions>().toExtend<
      Parameters<ReturnType<typeof createAuthTokenFetcher>>[0]
    >();
  });
});
