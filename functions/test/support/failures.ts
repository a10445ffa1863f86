import { expect } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { TokenServiceError } from "../../src/errors.js";

/** The TokenServiceError `promise` rejects with; fails the test if it resolves or throws else. */
export async function failure(promise: Promise<unknown>): Promise<TokenServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenServiceError);
  return error as TokenServiceError;
}

/** The error loadConfig (or `load`) refuses the current environment with. */
export function configRefusal(load: () => unknown = loadConfig): TokenServiceError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenServiceError);
    return error as TokenServiceError;
  }
  throw new Error("expected loadConfig to throw");
}
