import { sendJson, startRecordingServer } from "./http-server.js";

export const FAKE_ACCESS_TOKEN = "fake-access-token-for-tests";

/**
 * The GCE metadata server as google-auth-library sees it on Cloud Functions: the runtime
 * account's email and an access token. It insists on the Metadata-Flavor header, as the real
 * one does. Point google-auth-library at it with GCE_METADATA_HOST and
 * METADATA_SERVER_DETECTION=assume-present.
 */
export type MetadataLookup = "email" | "token" | "project-id";

const PATHS: Readonly<Record<MetadataLookup, string>> = {
  email: "/computeMetadata/v1/instance/service-accounts/default/email",
  token: "/computeMetadata/v1/instance/service-accounts/default/token",
  "project-id": "/computeMetadata/v1/project/project-id",
};

export async function startFakeMetadataServer(options: {
  runtimeAccount: string;
  projectId: string;
  /** Lookups never answered, like a metadata server that hangs. */
  hang?: readonly MetadataLookup[];
  /** Lookups whose FIRST request is never answered; later ones are served. */
  withholdFirst?: readonly MetadataLookup[];
  /**
   * Lookups whose FIRST request is refused (HTTP 403, which gcp-metadata does not retry, unlike a
   * 5xx); later ones are served.
   */
  failFirst?: readonly MetadataLookup[];
}) {
  const hanging = new Set((options.hang ?? []).map((what) => PATHS[what]));
  const withheld = new Set((options.withholdFirst ?? []).map((what) => PATHS[what]));
  const failing = new Set((options.failFirst ?? []).map((what) => PATHS[what]));
  const server = await startRecordingServer((request, response) => {
    const requested = request.url.split("?")[0] ?? "";
    if (hanging.has(requested)) return; // never answers
    if (withheld.delete(requested)) return; // this once
    if (failing.delete(requested)) {
      response.setHeader("Metadata-Flavor", "Google");
      sendJson(response, 403, { error: "the fake metadata server refuses this once" });
      return;
    }
    if (request.headers["metadata-flavor"] !== "Google") {
      sendJson(response, 403, { error: "missing Metadata-Flavor: Google" });
      return;
    }
    response.setHeader("Metadata-Flavor", "Google");
    const path = request.url.split("?")[0];
    switch (path) {
      case "/computeMetadata/v1/instance/service-accounts/default/email":
        response.writeHead(200, { "content-type": "text/plain" });
        response.end(options.runtimeAccount);
        return;
      case "/computeMetadata/v1/instance/service-accounts/default/token":
        sendJson(response, 200, {
          access_token: FAKE_ACCESS_TOKEN,
          expires_in: 3599,
          token_type: "Bearer",
        });
        return;
      case "/computeMetadata/v1/project/project-id":
        response.writeHead(200, { "content-type": "text/plain" });
        response.end(options.projectId);
        return;
      case "/computeMetadata/v1/instance":
      case "/computeMetadata/v1/":
      case "/":
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("ok");
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  return server;
}

/**
 * The environment under which google-auth-library takes `server` for the metadata server of a
 * Cloud Functions instance: ADC come from it, not from a key file or gcloud.
 */
export function metadataServerEnv(
  server: { host: string },
  projectId: string,
): Record<string, string> {
  return {
    GCE_METADATA_HOST: server.host,
    METADATA_SERVER_DETECTION: "assume-present",
    GCLOUD_PROJECT: projectId,
    GOOGLE_APPLICATION_CREDENTIALS: "",
  };
}
