import { spawnSync } from "node:child_process";
import path from "node:path";
import { locateCloudSdkJar } from "../../../scripts/lib/firestore-emulator.mjs";
import { freePort, startServer, userEnv, waitFor, type Server } from "./processes.js";

/**
 * Google's Firestore emulator started on its own, as the kit's README tells an app to on a
 * machine whose Java is older than 21 (firebase-tools 15 refuses to start it there; the emulator
 * itself runs on Java 11 and later): with the README's `gcloud emulators firestore start` where
 * the Cloud SDK is installed, or its jar directly. The app's Functions emulator learns its address
 * from the kit instance's .env.local (FIRESTORE_EMULATOR_HOST).
 */
export interface FirestoreEmulator {
  readonly host: string;
  readonly server: Server;
}

const MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

function hasGcloud(): boolean {
  return spawnSync("gcloud", ["--version"], { stdio: "ignore", timeout: 60_000 }).status === 0;
}

export async function startFirestore(projectId: string, dir: string): Promise<FirestoreEmulator> {
  const port = await freePort();
  const options = { cwd: path.resolve(dir), env: userEnv() };
  let server: Server;
  if (hasGcloud()) {
    server = startServer(
      "gcloud",
      [
        "emulators",
        "firestore",
        "start",
        `--host-port=127.0.0.1:${port}`,
        `--project=${projectId}`,
      ],
      options,
    );
  } else {
    const jar = locateCloudSdkJar();
    if (jar === undefined) {
      throw new Error(
        "Google's Firestore emulator was not found: install the Debian package " +
          "google-cloud-cli-firestore-emulator, or set FIRESTORE_EMULATOR_JAR",
      );
    }
    server = startServer(
      "java",
      [
        "-Duser.language=en",
        "-cp",
        jar,
        MAIN_CLASS,
        "start",
        "--host=127.0.0.1",
        `--port=${port}`,
        `--project_id=${projectId}`,
        "--single_project_mode=true",
      ],
      options,
    );
  }
  const host = `127.0.0.1:${port}`;
  await waitFor(
    "the Firestore emulator",
    async () => (await fetch(`http://${host}/`)).ok,
    60_000,
    server.output,
  );
  return { host, server };
}
