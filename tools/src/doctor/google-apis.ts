import type { GoogleAuth } from "google-auth-library";
import { parsePolicy, type IamPolicy } from "../shared/iam-policy.js";
import type { Endpoints } from "./endpoints.js";
import { googleErrorFrom, type GoogleError } from "./google-error.js";

/**
 * The read-only Google calls the doctor makes with the user's credentials, to explain what it
 * finds: the project (its number names the default runtime account), the project's IAM policy
 * (who holds which role), and each service account with its own IAM policy (who may sign as it).
 */

export type Lookup<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GoogleError };

export type Requester = Pick<GoogleAuth, "request">;

async function lookup<T>(
  auth: Requester,
  url: string,
  method: "GET" | "POST",
  read: (data: unknown) => T,
): Promise<Lookup<T>> {
  try {
    const response = await auth.request<unknown>({
      url,
      method,
      ...(method === "POST" ? { data: {} } : {}),
      timeout: 10_000,
      retry: false,
    });
    return { ok: true, value: read(response.data) };
  } catch (thrown) {
    return { ok: false, error: googleErrorFrom(thrown) };
  }
}

export interface ProjectInfo {
  readonly projectNumber: string;
}

export interface ServiceAccountInfo {
  readonly email: string;
  readonly disabled: boolean;
}

/** A Cloud Functions (2nd gen) function as the doctor reads it. */
export interface DeployedFunction {
  /** projects/P/locations/REGION/functions/NAME */
  readonly name: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccountEmail?: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
}

function readFunction(data: unknown): DeployedFunction {
  const fn = data as {
    name?: unknown;
    labels?: Record<string, string>;
    serviceConfig?: {
      serviceAccountEmail?: unknown;
      environmentVariables?: Record<string, string>;
    };
  };
  if (typeof fn.name !== "string") throw new Error("a function without a name in the answer");
  const region = /\/locations\/([^/]+)\//.exec(fn.name)?.[1] ?? "?";
  const account = fn.serviceConfig?.serviceAccountEmail;
  return {
    name: fn.name,
    region,
    labels: fn.labels ?? {},
    ...(typeof account === "string" ? { serviceAccountEmail: account } : {}),
    environmentVariables: fn.serviceConfig?.environmentVariables ?? {},
  };
}

/** Pages of functions.list read at most: a project with more functions is not this tool's case. */
const MAX_FUNCTION_PAGES = 20;

export class GoogleApis {
  constructor(
    private readonly auth: Requester,
    private readonly endpoints: Endpoints,
  ) {}

  project(project: string): Promise<Lookup<ProjectInfo>> {
    return lookup(
      this.auth,
      `${this.endpoints.resourceManager}/v1/projects/${project}`,
      "GET",
      (data) => {
        const projectNumber = (data as { projectNumber?: unknown }).projectNumber;
        if (typeof projectNumber !== "string") throw new Error("no projectNumber in the answer");
        return { projectNumber };
      },
    );
  }

  projectPolicy(project: string): Promise<Lookup<IamPolicy>> {
    return lookup(
      this.auth,
      `${this.endpoints.resourceManager}/v1/projects/${project}:getIamPolicy`,
      "POST",
      (data) => parsePolicy(JSON.stringify(data)),
    );
  }

  /** The project's folders and organization, nearest first, as `folders/ID` / `organizations/ID`. */
  ancestors(project: string): Promise<Lookup<string[]>> {
    return lookup(
      this.auth,
      `${this.endpoints.resourceManager}/v1/projects/${project}:getAncestry`,
      "POST",
      (data) => {
        const list = (data as { ancestor?: unknown }).ancestor;
        if (!Array.isArray(list)) throw new Error("no ancestor list in the answer");
        return list.flatMap((entry) => {
          const id = (entry as { resourceId?: { type?: unknown; id?: unknown } }).resourceId;
          if (id?.type === "folder") return [`folders/${String(id.id)}`];
          if (id?.type === "organization") return [`organizations/${String(id.id)}`];
          return [];
        });
      },
    );
  }

  /** The IAM policy of `folders/ID` (Resource Manager v2) or `organizations/ID` (v1). */
  ancestorPolicy(name: string): Promise<Lookup<IamPolicy>> {
    const version = name.startsWith("folders/") ? "v2" : "v1";
    return lookup(
      this.auth,
      `${this.endpoints.resourceManager}/${version}/${name}:getIamPolicy`,
      "POST",
      (data) => parsePolicy(JSON.stringify(data)),
    );
  }

  /** Every function of the project, in every region (Cloud Functions v2, locations/-). */
  async functions(project: string): Promise<Lookup<DeployedFunction[]>> {
    const found: DeployedFunction[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_FUNCTION_PAGES; page++) {
      const query = pageToken === undefined ? "" : `?pageToken=${encodeURIComponent(pageToken)}`;
      const answer = await lookup(
        this.auth,
        `${this.endpoints.cloudFunctions}/v2/projects/${project}/locations/-/functions${query}`,
        "GET",
        (data) => data as { functions?: unknown[]; nextPageToken?: unknown },
      );
      if (!answer.ok) return answer;
      found.push(...(answer.value.functions ?? []).map(readFunction));
      const next = answer.value.nextPageToken;
      if (typeof next !== "string" || next === "") break;
      pageToken = next;
    }
    return { ok: true, value: found };
  }

  serviceAccount(email: string): Promise<Lookup<ServiceAccountInfo>> {
    return lookup(
      this.auth,
      `${this.endpoints.iam}/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}`,
      "GET",
      (data) => ({ email, disabled: (data as { disabled?: unknown }).disabled === true }),
    );
  }

  serviceAccountPolicy(email: string): Promise<Lookup<IamPolicy>> {
    return lookup(
      this.auth,
      `${this.endpoints.iam}/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}:getIamPolicy`,
      "POST",
      (data) => parsePolicy(JSON.stringify(data)),
    );
  }
}
