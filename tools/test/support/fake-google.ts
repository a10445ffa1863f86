import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT, generateKeyPair, jwtVerify } from "jose";
import {
  FAKE_ACCESS_TOKEN,
  startFakeMetadataServer,
} from "../../../functions/test/support/fake-metadata-server.js";
import {
  sendJson,
  startRecordingServer,
  type RecordedRequest,
} from "../../../functions/test/support/http-server.js";
import { FLEET_ENGINE_AUDIENCE } from "../../src/shared/functions-code.js";
import { accountPolicy, findAccount, rolesOf, type FakeProject } from "./fake-project.mjs";

/**
 * Google's APIs as the doctor uses them, on 127.0.0.1, all answering from one FakeProject:
 * IAM Credentials (generateAccessToken, signJwt), IAM (service accounts and their policies),
 * Cloud Resource Manager (the project, its ancestry and the policies), Cloud Functions (the
 * deployed functions) and Fleet Engine (GET of four resource kinds). Permissions follow the project's bindings; every request is checked and anything
 * unexpected is answered 400 and recorded in `problems`. ADC comes from the functions' fake
 * metadata server, as a service account (the operator).
 */

const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/** What each Fleet Engine role may read, for the resource kinds the doctor fetches. */
const FLEET_ENGINE_READS: Readonly<Record<string, readonly string[]>> = {
  "roles/fleetengine.driverSdkUser": ["vehicles", "trips"],
  "roles/fleetengine.consumerSdkUser": ["vehicles", "trips"],
  "roles/fleetengine.deliveryUntrustedDriver": ["deliveryvehicles"],
  // It may also create and update tasks, but never read them: no GET the doctor makes.
  "roles/fleetengine.deliveryTrustedDriver": ["deliveryvehicles"],
  "roles/fleetengine.deliveryConsumer": ["tasktrackinginfo"],
  "roles/fleetengine.viewer": ["vehicles", "trips", "deliveryvehicles", "tasktrackinginfo"],
  "roles/fleetengine.deliveryFleetReader": ["deliveryvehicles", "tasktrackinginfo"],
};

const COLLECTIONS = {
  vehicles: { claim: "vehicleid", permission: "vehicles", list: "vehicles" },
  trips: { claim: "tripid", permission: "trips", list: "trips" },
  deliveryVehicles: {
    claim: "deliveryvehicleid",
    permission: "deliveryvehicles",
    list: "deliveryVehicles",
  },
  taskTrackingInfo: {
    claim: "trackingid",
    permission: "tasktrackinginfo",
    list: "taskTrackingInfo",
  },
} as const;

function googleError(
  response: ServerResponse,
  code: number,
  status: string,
  message: string,
  reason?: string,
): void {
  sendJson(response, code, {
    error: {
      code,
      message,
      status,
      details:
        reason === undefined
          ? []
          : [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason,
                domain: "googleapis.com",
              },
            ],
    },
  });
}

function serviceDisabled(response: ServerResponse, project: FakeProject, service: string): void {
  googleError(
    response,
    403,
    "PERMISSION_DENIED",
    `${service} has not been used in project ${project.projectNumber} before or it is disabled.`,
    "SERVICE_DISABLED",
  );
}

export async function startFakeGoogle(project: FakeProject, operator: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const keyId = randomBytes(20).toString("hex");
  /** Access token -> IAM member. */
  const principals = new Map<string, string>([[FAKE_ACCESS_TOKEN, `serviceAccount:${operator}`]]);
  const issuedTokens: string[] = [FAKE_ACCESS_TOKEN];
  const problems: string[] = [];
  /** Who signed as whom: `${principal} -> ${account}`. */
  const signatures: string[] = [];

  const refuse = (response: ServerResponse, problem: string): void => {
    problems.push(problem);
    googleError(response, 400, "INVALID_ARGUMENT", problem);
  };
  const principalOf = (request: RecordedRequest): string | undefined => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    return bearer === undefined ? undefined : principals.get(bearer);
  };
  const enabled = (service: string): boolean => project.enabledServices.includes(service);
  const isOwner = (member: string): boolean =>
    rolesOf(project.projectPolicy, member).includes("roles/owner");
  const mayActAs = (member: string, email: string): boolean =>
    rolesOf(accountPolicy(project, email), member).includes(TOKEN_CREATOR) ||
    rolesOf(project.projectPolicy, member).includes(TOKEN_CREATOR);
  const policyBody = (bindings: unknown): unknown => ({ version: 1, etag: "BwXfake=", bindings });

  const metadata = await startFakeMetadataServer({
    runtimeAccount: operator,
    projectId: project.projectId,
  });

  const iamCredentials = await startRecordingServer(async (request, response) => {
    const match =
      /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):(signJwt|generateAccessToken)$/.exec(
        request.url,
      );
    if (request.method !== "POST" || match === null)
      return refuse(response, `IAM Credentials: ${request.method} ${request.url}`);
    const principal = principalOf(request);
    if (principal === undefined)
      return googleError(response, 401, "UNAUTHENTICATED", "bad credentials");
    const email = decodeURIComponent(match[1]);
    const body = JSON.parse(request.body || "{}") as Record<string, unknown>;
    if (!enabled("iamcredentials.googleapis.com")) {
      return serviceDisabled(response, project, "IAM Service Account Credentials API");
    }
    const permission = match[2] === "signJwt" ? "signJwt" : "getAccessToken";
    const account = findAccount(project, email);
    if (account === undefined || account.disabled === true || !mayActAs(principal, email)) {
      return googleError(
        response,
        403,
        "PERMISSION_DENIED",
        `Permission 'iam.serviceAccounts.${permission}' denied on resource (or it may not exist).`,
        "IAM_PERMISSION_DENIED",
      );
    }
    if (match[2] === "generateAccessToken") {
      if (!Array.isArray(body.scope) || !body.scope.includes(CLOUD_PLATFORM)) {
        return refuse(response, `generateAccessToken without the cloud-platform scope`);
      }
      const token = `ya29.fake-${randomBytes(12).toString("hex")}`;
      principals.set(token, `serviceAccount:${email}`);
      issuedTokens.push(token);
      sendJson(response, 200, {
        accessToken: token,
        expireTime: new Date(Date.now() + 900_000).toISOString(),
      });
      return;
    }
    if (Object.keys(body).join() !== "payload" || typeof body.payload !== "string") {
      return refuse(response, `signJwt body ${request.body}`);
    }
    signatures.push(`${principal} -> ${email}`);
    const signedJwt = await new SignJWT(JSON.parse(body.payload) as Record<string, unknown>)
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .sign(privateKey);
    sendJson(response, 200, { keyId, signedJwt });
  });

  const iam = await startRecordingServer((request, response) => {
    const match = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+)(:getIamPolicy)?$/.exec(
      request.url,
    );
    const expectedMethod = match?.[2] === undefined ? "GET" : "POST";
    if (match === null || request.method !== expectedMethod)
      return refuse(response, `IAM: ${request.method} ${request.url}`);
    const principal = principalOf(request);
    if (principal === undefined)
      return googleError(response, 401, "UNAUTHENTICATED", "bad credentials");
    if (!isOwner(principal)) {
      return googleError(
        response,
        403,
        "PERMISSION_DENIED",
        "Permission 'iam.serviceAccounts.get' denied",
        "IAM_PERMISSION_DENIED",
      );
    }
    const email = decodeURIComponent(match[1]);
    const account = findAccount(project, email);
    if (account === undefined)
      return googleError(response, 404, "NOT_FOUND", `Unknown service account ${email}`);
    if (match[2] === undefined) {
      sendJson(response, 200, {
        email,
        name: `projects/${project.projectId}/serviceAccounts/${email}`,
        disabled: account.disabled === true,
      });
      return;
    }
    sendJson(response, 200, policyBody(accountPolicy(project, email).bindings));
  });

  const resourceManager = await startRecordingServer((request, response) => {
    const ancestorMatch = /^\/(v1\/organizations|v2\/folders)\/([^/:]+):getIamPolicy$/.exec(
      request.url,
    );
    const match = /^\/v1\/projects\/([^/:]+)(:getIamPolicy|:getAncestry)?$/.exec(request.url);
    const expectedMethod = match !== null && match[2] === undefined ? "GET" : "POST";
    if ((match === null && ancestorMatch === null) || request.method !== expectedMethod)
      return refuse(response, `CRM: ${request.method} ${request.url}`);
    const principal = principalOf(request);
    if (principal === undefined)
      return googleError(response, 401, "UNAUTHENTICATED", "bad credentials");
    if (ancestorMatch !== null) {
      // Folders are read with v2, organizations with v1, as Resource Manager serves them.
      const type = ancestorMatch[1] === "v2/folders" ? "folder" : "organization";
      const ancestor = project.ancestors?.find((a) => a.type === type && a.id === ancestorMatch[2]);
      if (ancestor === undefined || ancestor.policy === undefined || !isOwner(principal)) {
        return googleError(
          response,
          403,
          "PERMISSION_DENIED",
          `The caller does not have permission on ${type} ${ancestorMatch[2]}`,
        );
      }
      sendJson(response, 200, policyBody(ancestor.policy.bindings));
      return;
    }
    if (match === null) return refuse(response, "unreachable");
    if (match[1] !== project.projectId || !isOwner(principal)) {
      return googleError(response, 403, "PERMISSION_DENIED", "The caller does not have permission");
    }
    if (match[2] === ":getAncestry") {
      sendJson(response, 200, {
        ancestor: [
          { resourceId: { type: "project", id: project.projectId } },
          ...(project.ancestors ?? []).map((a) => ({ resourceId: { type: a.type, id: a.id } })),
        ],
      });
      return;
    }
    if (match[2] === undefined) {
      sendJson(response, 200, {
        projectId: project.projectId,
        projectNumber: project.projectNumber,
        lifecycleState: "ACTIVE",
      });
      return;
    }
    sendJson(response, 200, policyBody(project.projectPolicy.bindings));
  });

  const fleetEngine = await startRecordingServer(async (request, response) => {
    const match =
      /^\/v1\/providers\/([^/]+)\/(vehicles|trips|deliveryVehicles|taskTrackingInfo)\/([^/?]+)$/.exec(
        request.url,
      );
    if (request.method !== "GET" || match === null)
      return refuse(response, `Fleet Engine: ${request.method} ${request.url}`);
    const [, provider, collection, rawId] = match as unknown as [
      string,
      string,
      keyof typeof COLLECTIONS,
      string,
    ];
    const id = decodeURIComponent(rawId);
    if (provider !== project.projectId)
      return googleError(response, 403, "PERMISSION_DENIED", "wrong provider");
    if (!enabled("fleetengine.googleapis.com"))
      return serviceDisabled(response, project, "Local Rides and Deliveries API");
    const jwt = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    let claims: Record<string, unknown>;
    try {
      claims = (
        await jwtVerify(jwt, publicKey, { audience: FLEET_ENGINE_AUDIENCE, algorithms: ["RS256"] })
      ).payload;
    } catch (error) {
      return googleError(
        response,
        401,
        "UNAUTHENTICATED",
        `invalid JWT: ${(error as Error).message}`,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    if (
      typeof claims.exp !== "number" ||
      claims.exp > now + 3600 + 60 ||
      claims.iss !== claims.sub
    ) {
      return googleError(response, 401, "UNAUTHENTICATED", "JWT lifetime or issuer not acceptable");
    }
    const account = String(claims.iss);
    if (findAccount(project, account) === undefined)
      return googleError(response, 401, "UNAUTHENTICATED", "unknown issuer");
    const spec = COLLECTIONS[collection];
    const reads = rolesOf(project.projectPolicy, `serviceAccount:${account}`).flatMap(
      (role) => FLEET_ENGINE_READS[role] ?? [],
    );
    if (!reads.includes(spec.permission)) {
      return googleError(
        response,
        403,
        "PERMISSION_DENIED",
        `Permission 'fleetengine.${spec.permission}.get' denied on ${provider}.`,
      );
    }
    const authorization = (claims.authorization ?? {}) as Record<string, unknown>;
    const claimed = authorization[spec.claim];
    if (claimed !== id && claimed !== "*") {
      return googleError(
        response,
        403,
        "PERMISSION_DENIED",
        "The JWT's authorization claim does not cover this resource.",
      );
    }
    if (!project.fleetEngine[spec.list].includes(id)) {
      return googleError(response, 404, "NOT_FOUND", `${collection} ${id} not found`);
    }
    sendJson(response, 200, { name: `providers/${provider}/${collection}/${id}` });
  });

  /** Cloud Functions v2 functions.list across regions, two per page, as firebase deploy left them. */
  const cloudFunctions = await startRecordingServer((request, response) => {
    const match = /^\/v2\/projects\/([^/]+)\/locations\/-\/functions(?:\?pageToken=(\d+))?$/.exec(
      request.url,
    );
    if (request.method !== "GET" || match === null)
      return refuse(response, `Cloud Functions: ${request.method} ${request.url}`);
    const principal = principalOf(request);
    if (principal === undefined)
      return googleError(response, 401, "UNAUTHENTICATED", "bad credentials");
    if (match[1] !== project.projectId || !isOwner(principal))
      return googleError(
        response,
        403,
        "PERMISSION_DENIED",
        "cloudfunctions.functions.list denied",
      );
    if (!enabled("cloudfunctions.googleapis.com"))
      return serviceDisabled(response, project, "Cloud Functions API");
    const start = Number(match[2] ?? "0");
    const all = project.functions ?? [];
    const page = all.slice(start, start + 2).map((fn) => ({
      name: `projects/${project.projectId}/locations/${fn.region}/functions/${fn.name}`,
      state: "ACTIVE",
      labels: {
        "deployment-tool": "cli-firebase",
        ...(fn.codebase === undefined ? {} : { "firebase-functions-codebase": fn.codebase }),
      },
      serviceConfig: {
        serviceAccountEmail: fn.serviceAccountEmail,
        environmentVariables: { FUNCTION_TARGET: fn.name, ...fn.environmentVariables },
      },
    }));
    sendJson(response, 200, {
      functions: page,
      ...(start + 2 < all.length ? { nextPageToken: String(start + 2) } : {}),
    });
  });

  const home = mkdtempSync(path.join(tmpdir(), "fake-adc-home-"));
  return {
    project,
    problems,
    signatures,
    /** Every access token handed out: none may ever appear in the doctor's output. */
    issuedTokens,
    servers: { metadata, iamCredentials, iam, resourceManager, fleetEngine, cloudFunctions },
    /** Environment for a doctor process: ADC from the fake metadata server, fakes as endpoints. */
    env: {
      GCE_METADATA_HOST: metadata.host,
      METADATA_SERVER_DETECTION: "assume-present",
      GOOGLE_APPLICATION_CREDENTIALS: "",
      HOME: home,
      CLOUDSDK_CONFIG: home,
      DOCTOR_TEST_IAM_CREDENTIALS_URL: iamCredentials.url,
      DOCTOR_TEST_IAM_URL: iam.url,
      DOCTOR_TEST_RESOURCE_MANAGER_URL: resourceManager.url,
      DOCTOR_TEST_FLEET_ENGINE_URL: fleetEngine.url,
      DOCTOR_TEST_CLOUD_FUNCTIONS_URL: cloudFunctions.url,
    } as Record<string, string>,
    close: async (): Promise<void> => {
      await Promise.all(
        [metadata, iamCredentials, iam, resourceManager, fleetEngine, cloudFunctions].map((s) =>
          s.close(),
        ),
      );
    },
  };
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
