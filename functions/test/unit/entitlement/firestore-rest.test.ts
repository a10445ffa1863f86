import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors.js";
import { FirestoreRestDocuments } from "../../../src/entitlement/firestore-rest.js";
import { readField } from "../../../src/entitlement/field-path.js";
import { sendJson, startRecordingServer } from "../../support/http-server.js";

/** The REST reader against a loopback server that answers like Firestore's documents.get. */

let answer: { status: number; body: unknown } = { status: 200, body: {} };
let server: Awaited<ReturnType<typeof startRecordingServer>>;
let documents: FirestoreRestDocuments;
const signal = () => new AbortController().signal;

beforeAll(async () => {
  server = await startRecordingServer((_request, response) => {
    sendJson(response, answer.status, answer.body);
  });
  documents = new FirestoreRestDocuments({
    projectId: "demo-rest",
    baseUrl: server.url,
    authorization: () => Promise.resolve("Bearer test-token"),
  });
});

afterAll(async () => {
  await server.close();
});

describe("FirestoreRestDocuments", () => {
  it("GETs exactly <collection>/<id>, with the credentials, and decodes the Value format", async () => {
    answer = {
      status: 200,
      body: {
        name: "projects/demo-rest/databases/(default)/documents/users/u%201",
        fields: {
          name: { stringValue: "Ada" },
          active: { booleanValue: true },
          seats: { integerValue: "4" },
          rating: { doubleValue: 4.5 },
          nothing: { nullValue: null },
          riders: { arrayValue: { values: [{ stringValue: "r1" }, { stringValue: "r2" }] } },
          empty: { arrayValue: {} },
          fleet: { mapValue: { fields: { vehicleId: { stringValue: "v-1" } } } },
          when: { timestampValue: "2026-11-29T00:00:00Z" },
          // An own "__proto__" key, as JSON from the wire has it (a literal would set the prototype).
          ...(JSON.parse(
            '{"__proto__": {"mapValue": {"fields": {"polluted": {"booleanValue": true}}}}}',
          ) as object),
        },
      },
    };
    const document = await documents.get("users", "u 1", signal());
    expect(server.requests.at(-1)).toMatchObject({
      method: "GET",
      url: "/v1/projects/demo-rest/databases/(default)/documents/users/u%201",
      headers: expect.objectContaining({ authorization: "Bearer test-token" }) as object,
    });
    expect({ ...document }).toMatchObject({
      name: "Ada",
      active: true,
      seats: 4,
      rating: 4.5,
      nothing: null,
      riders: ["r1", "r2"],
      empty: [],
    });
    expect(readField(document!, ["fleet", "vehicleId"])).toEqual({ kind: "present", value: "v-1" });
    // A timestamp is nothing the decision reads: it can never pass for a string or a flag.
    expect(typeof document?.when).toBe("object");
    expect(readField(document!, ["__proto__", "polluted"])).toEqual({
      kind: "present",
      value: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("gives undefined for a document that does not exist", async () => {
    answer = { status: 404, body: { error: { code: 404, message: "not found" } } };
    expect(await documents.get("trips", "nope", signal())).toBeUndefined();
  });

  it.each([
    [403, ErrorCode.Misconfigured, "firestore-access"],
    [401, ErrorCode.Misconfigured, "firestore-access"],
    [429, ErrorCode.BackendUnavailable, "firestore-unavailable"],
    [503, ErrorCode.BackendUnavailable, "firestore-unavailable"],
    [400, ErrorCode.Internal, "firestore-error"],
  ])("maps HTTP %i to %s", async (status, code, reason) => {
    answer = { status, body: { error: { code: status, message: "Missing or insufficient" } } };
    await expect(documents.get("trips", "t", signal())).rejects.toMatchObject({
      code,
      details: { reason, status, collection: "trips" },
    });
  });

  it("maps a refused connection to unavailable, and credentials trouble too", async () => {
    const closed = new FirestoreRestDocuments({
      projectId: "demo-rest",
      baseUrl: "http://127.0.0.1:9",
      authorization: () => Promise.resolve("Bearer x"),
    });
    await expect(closed.get("trips", "t", signal())).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
      details: { reason: "firestore-unavailable" },
    });
    const noToken = new FirestoreRestDocuments({
      projectId: "demo-rest",
      baseUrl: server.url,
      authorization: () => Promise.reject(new Error("metadata server down")),
    });
    await expect(noToken.get("trips", "t", signal())).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
      details: { reason: "firestore-credentials" },
    });
  });
});
