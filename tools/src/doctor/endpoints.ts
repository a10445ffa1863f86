import { IAM_CREDENTIALS_URL } from "../shared/functions-code.js";

/**
 * Where the doctor sends its requests. The environment variables below exist for the tests only
 * (they point the doctor at fakes on 127.0.0.1); a URL must be https, or http on the loopback
 * interface, so that no setting can send a minted token elsewhere in clear text.
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

function checked(name: string, value: string): string {
  const url = new URL(value);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error(`${name} must be an https URL, or http on 127.0.0.1 (tests): ${value}`);
  }
  return value.replace(/\/+$/, "");
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const pick = (key: keyof Endpoints): string => {
    const value = env[ENDPOINT_ENV[key]];
    return value === undefined || value === ""
      ? GOOGLE_ENDPOINTS[key]
      : checked(ENDPOINT_ENV[key], value);
  };
  return {
    iamCredentials: pick("iamCredentials"),
    iam: pick("iam"),
    resourceManager: pick("resourceManager"),
    fleetEngine: pick("fleetEngine"),
    cloudFunctions: pick("cloudFunctions"),
  };
}
