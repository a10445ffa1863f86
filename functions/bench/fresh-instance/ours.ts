import { readInput, report } from "./report.js";

/**
 * Child process: a fresh instance of the deployed function. Loads the built functions/lib/index.js
 * (what Cloud Functions loads) and serves one consumer token through the callable's own `run`,
 * against the Auth and Firestore emulators with the dev-key signer. Nothing is loaded before.
 */
async function main(): Promise<void> {
  const input = readInput();
  if (input.index === undefined) throw new Error("no index given");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getFleetEngineToken } = require(input.index) as typeof import("../../src/index.js");
  const answer = await getFleetEngineToken.run({
    data: { type: "consumer", tripId: input.tripId },
    auth: { uid: input.uid, token: input.claims, rawToken: input.idToken },
    acceptsStreaming: false,
    rawRequest: {},
  } as unknown as Parameters<typeof getFleetEngineToken.run>[0]);
  report(answer.token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
