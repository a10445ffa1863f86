import { IAM_CREDENTIALS_URL } from "../shared/functions-code.js";

/**
 * Where the doctor sends its requests. The environment variables below exist for the tests only:
 * they point the doctor at fakes. Doctor sends them the operator's access token and the tokens it
 * signs, so a URL must be on the loopback interface (127.0.0.0/8, ::1, localhost), never another
 * host, and each one set is announced before the checklist.
 */
export interface Endpoints {
  readonly iamCredentials: string;
  readonly iam: string;
  readonly resourceManager: string;
  readonly fleetEngine: string;
  readonly cloudFunctions: string;
}

export const ENDPOINT_ENV: Readonly<Record<keyof Endpoints, string>> = {
  iamCredentials: "DOCTOR_TEST_IAM_CREDENTIALS_URL",
  iam: "DOCTOR_TEST_IAM_URL",
  resourceManager: "DOCTOR_TEST_RESOURCE_MANAGER_URL",
  fleetEngine: "DOCTOR_TEST_FLEET_ENGINE_URL",
  cloudFunctions: "DOCTOR_TEST_CLOUD_FUNCTIONS_URL",
};

export const GOOGLE_ENDPOINTS: Endpoints = {
  iamCredentials: IAM_CREDENTIALS_URL,
  iam: "https://iam.googleapis.com",
  resourceManager: "https://cloudresourcemanager.googleapis.com",
  fleetEngine: "https://fleetengine.googleapis.com",
  cloudFunctions: "https://cloudfunctions.googleapis.com",
};

/** Whether `hostname` (as URL.hostname gives it) is this machine's loopback interface. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  const octets = hostname.split(".");
  return (
    octets.length === 4 &&
    octets[0] === "127" &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}

function checked(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (!(url.protocol === "http:" || url.protocol === "https:") || !isLoopbackHost(url.hostname)) {
    throw new Error(
      `${name} must be an http(s) URL on the loopback interface (127.0.0.1, ::1, localhost): ` +
        `it is a test seam, and doctor would send your access token and the tokens it signs ` +
        `there. Unset it to check the real project: ${value}`,
    );
  }
  return value.replace(/\/+$/, "");
}

/** An endpoint a DOCTOR_TEST_* variable moved: said before the checklist, every run. */
export interface EndpointOverride {
  readonly variable: string;
  readonly url: string;
  readonly replaces: string;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  endpoints: Endpoints;
  overrides: EndpointOverride[];
} {
  const overrides: EndpointOverride[] = [];
  const pick = (key: keyof Endpoints): string => {
    const variable = ENDPOINT_ENV[key];
    const value = env[variable];
    if (value === undefined || value === "") return GOOGLE_ENDPOINTS[key];
    const url = checked(variable, value);
    overrides.push({ variable, url, replaces: GOOGLE_ENDPOINTS[key] });
    return url;
  };
  return {
    endpoints: {
      iamCredentials: pick("iamCredentials"),
      iam: pick("iam"),
      resourceManager: pick("resourceManager"),
      fleetEngine: pick("fleetEngine"),
      cloudFunctions: pick("cloudFunctions"),
    },
    overrides,
  };
}

/** The notice lines for the overrides, before the checklist. */
export function renderOverrides(overrides: readonly EndpointOverride[]): string {
  return overrides
    .map(
      (o) =>
        `NOTICE  ${o.variable} is set: requests for ${o.replaces} go to ${o.url} instead ` +
        "(a test seam; unset it to check the real project)\n",
    )
    .join("");
}
