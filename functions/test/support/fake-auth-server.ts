import { Agent } from "node:https";
import { connect } from "node:net";
import { sendJson, startRecordingServer } from "./http-server.js";

/**
 * Firebase Auth's admin API (identitytoolkit `accounts:lookup`, what firebase-admin's getUser
 * calls) for the production path, where firebase-admin authenticates with an access token and
 * not as the emulator's owner. It insists on the bearer token the metadata server hands out and
 * answers the users it is given.
 */
export async function startFakeAuthServer(options: {
  projectId: string;
  accessToken: string;
  users: Readonly<Record<string, { customClaims?: Record<string, unknown>; disabled?: boolean }>>;
}) {
  const problems: string[] = [];
  const server = await startRecordingServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      problems.push(`unexpected authorization ${String(request.headers.authorization)}`);
      sendJson(response, 401, { error: { code: 401, message: "INVALID_CREDENTIALS" } });
      return;
    }
    if (request.url !== `/v1/projects/${options.projectId}/accounts:lookup`) {
      problems.push(`unexpected ${request.method} ${request.url}`);
      sendJson(response, 404, { error: { code: 404, message: "NOT_FOUND" } });
      return;
    }
    const { localId } = JSON.parse(request.body) as { localId?: string[] };
    const users = (localId ?? []).flatMap((uid) => {
      const user = options.users[uid];
      return user === undefined
        ? []
        : [
            {
              localId: uid,
              disabled: user.disabled ?? false,
              customAttributes: JSON.stringify(user.customClaims ?? {}),
              validSince: "0",
              providerUserInfo: [],
            },
          ];
    });
    sendJson(response, 200, users.length > 0 ? { users } : {});
  });
  /**
   * An https agent that takes firebase-admin's requests for identitytoolkit.googleapis.com to
   * this server over plain TCP: only tests use it (RuntimeOptions.authHttpAgent).
   */
  class LoopbackAgent extends Agent {
    override createConnection() {
      const [host, port] = server.host.split(":");
      return connect(Number(port), host ?? "127.0.0.1");
    }
  }
  return Object.assign(server, { problems, agent: new LoopbackAgent() });
}
