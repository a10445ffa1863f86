import { isDeepStrictEqual } from "node:util";
import { decodeJwt, decodeProtectedHeader } from "jose";
import {
  FLEET_ENGINE_AUDIENCE,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  type FleetEngineClaims,
} from "../shared/functions-code.js";

/** Fleet Engine allows about 10 minutes of clock skew on `iat`. */
export const ALLOWED_SKEW_SECONDS = 600;

const CLAIM_NAMES = ["iss", "sub", "aud", "iat", "exp", "authorization"];

export interface TokenFindings {
  readonly problems: readonly string[];
  /** For the report: what the token says, never the token itself. */
  readonly summary: string;
}

/**
 * Decodes a signed token and checks it against the claims that were sent for signing and against
 * Fleet Engine's rules: RS256 with a key ID, exactly the expected claims, the Fleet Engine
 * audience, and a lifetime Fleet Engine accepts.
 */
export function checkToken(
  jwt: string,
  expected: FleetEngineClaims,
  nowSeconds: number,
): TokenFindings {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(jwt);
    claims = decodeJwt(jwt);
  } catch {
    return { problems: ["the signed token is not a JWT"], summary: "" };
  }
  const problems: string[] = [];
  if (header.alg !== "RS256") problems.push(`header alg is ${String(header.alg)}, not RS256`);
  if (typeof header.kid !== "string" || header.kid === "") problems.push("header has no kid");
  if (header.typ !== undefined && header.typ !== "JWT")
    problems.push(`header typ is ${header.typ}`);
  const extra = Object.keys(claims).filter((name) => !CLAIM_NAMES.includes(name));
  if (extra.length > 0) problems.push(`unexpected claims ${extra.join(", ")}`);
  if (claims.iss !== expected.iss || claims.sub !== expected.sub) {
    problems.push(`iss/sub are ${String(claims.iss)}/${String(claims.sub)}, not ${expected.iss}`);
  }
  if (claims.aud !== FLEET_ENGINE_AUDIENCE) {
    problems.push(`aud is ${JSON.stringify(claims.aud)}, not ${FLEET_ENGINE_AUDIENCE}`);
  }
  if (!isDeepStrictEqual(claims.authorization, expected.authorization)) {
    problems.push(
      `authorization is ${JSON.stringify(claims.authorization)}, not ${JSON.stringify(expected.authorization)}`,
    );
  }
  const { iat, exp } = claims;
  if (typeof iat !== "number" || typeof exp !== "number") {
    problems.push("iat or exp is missing");
  } else {
    const lifetime = exp - iat;
    if (lifetime !== expected.exp - expected.iat) {
      problems.push(
        `lifetime is ${lifetime} s, not the ${expected.exp - expected.iat} s asked for`,
      );
    }
    if (lifetime < MIN_TTL_SECONDS || lifetime > MAX_TTL_SECONDS) {
      problems.push(`lifetime ${lifetime} s is outside ${MIN_TTL_SECONDS}..${MAX_TTL_SECONDS} s`);
    }
    if (exp <= nowSeconds) problems.push("the token has already expired");
    if (exp > nowSeconds + MAX_TTL_SECONDS + ALLOWED_SKEW_SECONDS) {
      problems.push("exp is more than an hour away: Fleet Engine refuses such tokens");
    }
    if (Math.abs(iat - nowSeconds) > ALLOWED_SKEW_SECONDS) {
      problems.push(`iat is ${iat - nowSeconds} s off this machine's clock`);
    }
  }
  return {
    problems,
    summary:
      `authorization ${JSON.stringify(claims.authorization)}, iss=sub=${String(claims.iss)}, ` +
      `lifetime ${typeof exp === "number" && typeof iat === "number" ? exp - iat : "?"} s, ` +
      `kid ${typeof header.kid === "string" ? header.kid.slice(0, 8) : "none"}...`,
  };
}
