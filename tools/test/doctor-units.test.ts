import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { endpointsFromEnv, GOOGLE_ENDPOINTS, renderOverrides } from "../src/doctor/endpoints.js";
import { explainRefusal, typesFor } from "../src/doctor/fleet-engine.js";
import { checkToken } from "../src/doctor/token-check.js";
import { buildClaims, type FleetEngineClaims } from "../src/shared/functions-code.js";

const NOW = 1_800_000_000;
const ACCOUNT = "fe-driver@p-1.iam.gserviceaccount.com";

async function sign(claims: object, header: Record<string, string> = { kid: "k1", typ: "JWT" }) {
  const { privateKey } = await generateKeyPair("RS256");
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "RS256", ...header })
    .sign(privateKey);
}

describe("checkToken", () => {
  const expected: FleetEngineClaims = buildClaims(ACCOUNT, { vehicleid: "v-1" }, NOW * 1000, 3600);

  it("accepts exactly the claims sent, and summarises them without the token", async () => {
    const jwt = await sign(expected);
    const findings = checkToken(jwt, expected, NOW);
    expect(findings.problems).toEqual([]);
    expect(findings.summary).toContain('authorization {"vehicleid":"v-1"}');
    expect(findings.summary).toContain("lifetime 3600 s");
    expect(findings.summary).not.toContain(jwt.split(".")[1]);
  });

  it.each([
    ["a missing kid", expected, { typ: "JWT" }, /no kid/],
    ["another audience", { ...expected, aud: "https://example.com/" }, undefined, /aud is/],
    [
      "another claim",
      { ...expected, authorization: { vehicleid: "*" } },
      undefined,
      /authorization is/,
    ],
    ["an extra claim", { ...expected, scope: "x" }, undefined, /unexpected claims scope/],
    [
      "a long lifetime",
      { ...expected, exp: expected.iat + 7200 },
      undefined,
      /lifetime 7200 s is outside|more than an hour/,
    ],
    [
      "an expired token",
      { ...expected, iat: NOW - 4000, exp: NOW - 400 },
      undefined,
      /already expired/,
    ],
  ])("reports %s", async (_name, claims, header, problem) => {
    const findings = checkToken(await sign(claims, header), expected, NOW);
    expect(findings.problems.join("; ")).toMatch(problem);
  });

  it("reports something that is not a JWT", () => {
    expect(checkToken("nope", expected, NOW).problems).toEqual(["the signed token is not a JWT"]);
  });
});

describe("explainRefusal", () => {
  const context = {
    project: "p-1",
    type: "driver" as const,
    account: ACCOUNT,
    kind: "vehicle" as const,
    id: "v-1",
    authorization: { vehicleid: "v-1" },
  };
  const denied = { httpStatus: 403, status: "PERMISSION_DENIED", message: "denied", reasons: [] };

  it("blames the claim when the account holds its role", () => {
    const { detail, advice } = explainRefusal(denied, {
      ...context,
      accountRoles: ["roles/fleetengine.driverSdkUser"],
    });
    expect(detail).toContain(`although ${ACCOUNT} holds roles/fleetengine.driverSdkUser`);
    expect(advice[0]).toContain(
      'the token\'s claim authorization.vehicleid="v-1" did not match vehicle v-1',
    );
  });

  it("names both causes when the roles could not be read", () => {
    const { advice } = explainRefusal(denied, context);
    expect(advice[0]).toContain(`either ${ACCOUNT} lacks roles/fleetengine.driverSdkUser`);
    expect(advice[1]).toContain("or the token's claim authorization.vehicleid");
  });

  it("recognises a disabled API by its ErrorInfo reason", () => {
    const { detail } = explainRefusal(
      { httpStatus: 403, message: "x", reasons: ["SERVICE_DISABLED"] },
      context,
    );
    expect(detail).toBe("the Fleet Engine API is not enabled in project p-1");
  });
});

describe("Fleet Engine resources", () => {
  it("are read with the per-resource type and the operator type", () => {
    expect(typesFor("vehicle")).toEqual(["driver", "fleetReader"]);
    expect(typesFor("trip")).toEqual(["consumer", "fleetReader"]);
    expect(typesFor("deliveryVehicle")).toEqual([
      "deliveryDriver",
      "trustedDeliveryDriver",
      "deliveryFleetReader",
    ]);
    expect(typesFor("tracking")).toEqual(["deliveryConsumer", "deliveryFleetReader"]);
  });
});

describe("endpointsFromEnv", () => {
  it("uses Google's endpoints unless a test seam is set", () => {
    expect(endpointsFromEnv({})).toEqual({ endpoints: GOOGLE_ENDPOINTS, overrides: [] });
    expect(
      endpointsFromEnv({ DOCTOR_TEST_FLEET_ENGINE_URL: "http://127.0.0.1:9/" }).endpoints
        .fleetEngine,
    ).toBe("http://127.0.0.1:9");
  });

  it.each([
    "http://127.0.0.1:9",
    "https://127.0.0.1:9",
    "http://127.1.2.3:9",
    "http://localhost:9",
    "https://localhost",
    "http://[::1]:9",
  ])("accepts the loopback URL %s", (url) => {
    expect(endpointsFromEnv({ DOCTOR_TEST_IAM_URL: url }).endpoints.iam).toBe(url);
  });

  it.each([
    "http://example.com",
    // An https host is no better: doctor would hand it the operator's access token.
    "https://iam.example.com",
    "https://evil.googleapis.com.example.net",
    "https://127.0.0.1.nip.io",
    "http://10.0.0.1:9",
    "http://0.0.0.0:9",
    "https://[::2]",
    "file:///tmp/x",
    "not a url",
  ])("refuses %s: loopback hosts only", (url) => {
    expect(() => endpointsFromEnv({ DOCTOR_TEST_IAM_CREDENTIALS_URL: url })).toThrow(
      /DOCTOR_TEST_IAM_CREDENTIALS_URL .*(loopback|not a URL)/,
    );
  });

  it("announces every override", () => {
    const { overrides } = endpointsFromEnv({
      DOCTOR_TEST_IAM_URL: "http://127.0.0.1:1",
      DOCTOR_TEST_FLEET_ENGINE_URL: "http://localhost:2/",
    });
    expect(renderOverrides(overrides)).toBe(
      "NOTICE  DOCTOR_TEST_IAM_URL is set: requests for https://iam.googleapis.com go to " +
        "http://127.0.0.1:1 instead (a test seam; unset it to check the real project)\n" +
        "NOTICE  DOCTOR_TEST_FLEET_ENGINE_URL is set: requests for " +
        "https://fleetengine.googleapis.com go to http://localhost:2 instead (a test seam; unset " +
        "it to check the real project)\n",
    );
  });
});
