/**
 * What a fresh-instance child process reports on its last line: CPU and wall time from its own
 * start (Node's bootstrap included, the same for both children) to the token in hand.
 */
export interface FirstCallReport {
  cpuMs: number;
  wallMs: number;
  /** The token's length: proves a token came back without printing it. */
  tokenLength: number;
}

export const REPORT_PREFIX = "FIRST-CALL-REPORT ";

/** What the parent tells both children: the same caller, the same trip, the same key. */
export interface FirstCallInput {
  uid: string;
  idToken: string;
  /** The ID token's claims, as the framework hands them to the function after verifying it. */
  claims: Record<string, unknown>;
  tripId: string;
  devKeyFile: string;
  /** ours only: the built functions/lib/index.js, or an installed kit's wrapper entry */
  index?: string;
  /** by-hand only: a module to load first (the kit wrapper's own code, for the kit row) */
  prelude?: string;
}

export function readInput(): FirstCallInput {
  const raw = process.env.FIRST_CALL_INPUT;
  if (raw === undefined) throw new Error("FIRST_CALL_INPUT is not set (run through the bench)");
  return JSON.parse(raw) as FirstCallInput;
}

/** Prints the report and ends the process: open client channels must not keep it alive. */
export function report(token: unknown): void {
  const { user, system } = process.cpuUsage();
  const result: FirstCallReport = {
    cpuMs: (user + system) / 1000,
    wallMs: performance.now(),
    tokenLength: typeof token === "string" ? token.length : 0,
  };
  process.stdout.write(`\n${REPORT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
}
