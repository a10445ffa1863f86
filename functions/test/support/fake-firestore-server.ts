import { sendJson, startRecordingServer } from "./http-server.js";

/** A Firestore REST Value, the encoding the real API answers with. */
function encode(value: unknown): Record<string, unknown> {
  if (value === null) return { nullValue: null };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { booleanValue: value };
  if (typeof value === "number") {
    return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(encode) } };
  return {
    mapValue: {
      fields: Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encode(v)]),
      ),
    },
  };
}

/**
 * Firestore's REST API as the function reads it in production: GET of one document by path,
 * answered from `documents` ("collection/id" -> fields) in the REST Value encoding, 404 for
 * anything else. It insists on the bearer token the metadata server hands out.
 */
export async function startFakeFirestoreServer(options: {
  projectId: string;
  accessToken: string;
  documents: Readonly<Record<string, Record<string, unknown>>>;
}) {
  const prefix = `/v1/projects/${options.projectId}/databases/(default)/documents/`;
  const problems: string[] = [];
  const server = await startRecordingServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      problems.push(`unexpected authorization ${String(request.headers.authorization)}`);
      sendJson(response, 401, { error: { code: 401, message: "bad credentials" } });
      return;
    }
    const path = decodeURIComponent(request.url);
    const fields = path.startsWith(prefix)
      ? options.documents[path.slice(prefix.length)]
      : undefined;
    if (request.method !== "GET" || fields === undefined) {
      sendJson(response, 404, { error: { code: 404, message: "not found" } });
      return;
    }
    sendJson(response, 200, {
      name: `projects/${options.projectId}/databases/(default)/documents/${path.slice(prefix.length)}`,
      fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, encode(v)])),
    });
  });
  return Object.assign(server, { problems });
}
