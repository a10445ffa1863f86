import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort, run, startServer, userEnv, waitFor, type Server } from "./processes.js";

/**
 * A local npm registry (verdaccio) on 127.0.0.1 that serves the packed kit as
 * fleet-engine-firebase-tokens and proxies every other package to the npm registry this machine
 * uses: `firebase functions:kits:install --package` then installs the kit exactly as from npm.
 */
export interface LocalRegistry {
  readonly url: string;
  /** An .npmrc that authenticates to it, for `npm publish`. */
  readonly userconfig: string;
  readonly server: Server;
}

const VERDACCIO_BIN = path.join(
  path.dirname(createRequire(__filename).resolve("verdaccio/package.json")),
  "bin",
  "verdaccio",
);

export async function startRegistry(dir: string, uplink: string): Promise<LocalRegistry> {
  mkdirSync(path.join(dir, "storage"), { recursive: true });
  const port = await freePort();
  const config = path.join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(path.join(dir, "storage"))}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(path.join(dir, "htpasswd"))}`,
      "    max_users: 10",
      "uplinks:",
      "  npmjs:",
      `    url: ${JSON.stringify(uplink)}`,
      "    timeout: 120s",
      "packages:",
      // The kit comes from here only: never a copy of the same name from the uplink.
      "  'fleet-engine-firebase-tokens':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "    proxy: npmjs",
      `listen: 127.0.0.1:${port}`,
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const caCerts = "/etc/ssl/certs/ca-certificates.crt";
  const server = startServer(process.execPath, [VERDACCIO_BIN, "--config", config], {
    cwd: dir,
    env: userEnv(existsSync(caCerts) ? { NODE_EXTRA_CA_CERTS: caCerts } : {}),
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(
    "the local npm registry",
    async () => (await fetch(`${url}-/ping`)).ok,
    60_000,
    server.output,
  );
  const response = await fetch(`${url}-/user/org.couchdb.user:kit-publisher`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "kit-publisher", password: "kit-publisher-password" }),
  });
  const { token } = (await response.json()) as { token?: string };
  if (!response.ok || token === undefined) {
    throw new Error(`could not create a publisher on the local registry: ${response.status}`);
  }
  const userconfig = path.join(dir, "publisher.npmrc");
  writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
  return { url, userconfig, server };
}

/** Publishes a packed tarball to the registry, as `npm publish` does for npmjs.org. */
export async function publish(registry: LocalRegistry, tarball: string): Promise<void> {
  await run("npm", ["publish", tarball, "--registry", registry.url], {
    cwd: path.dirname(tarball),
    env: userEnv({ npm_config_userconfig: registry.userconfig }),
  });
}
