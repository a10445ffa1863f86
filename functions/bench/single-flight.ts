import { GoogleAuth } from "google-auth-library";
import { RuntimeCredentials } from "../src/credentials/runtime-credentials.js";
import { handleGetFleetEngineToken } from "../src/handler.js";
import { createIamSignerSet } from "../src/signing/signer-set.js";
import { startFakeIamServer } from "../test/support/fake-iam-server.js";
import {
  metadataServerEnv,
  startFakeMetadataServer,
} from "../test/support/fake-metadata-server.js";
import { benchHandler, riderRequest, RIDER } from "./fixtures.js";
import { nowMs } from "./measure.js";

const ACCOUNT = "fe-consumer@demo-bench.iam.gserviceaccount.com";

export interface SingleFlightResult {
  concurrent: number;
  iamDelayMs: number;
  /** signJwt calls IAM received for the concurrent burst. */
  signJwtCalls: number;
  burstMs: number;
  /** One request alone, same conditions. */
  oneCallMs: number;
}

/**
 * `concurrent` identical requests at once through the whole handler and the real IAM signer,
 * against a fake IAM Credentials server that answers after `iamDelayMs`.
 */
export async function measureSingleFlight(
  concurrent: number,
  iamDelayMs = 50,
): Promise<SingleFlightResult> {
  const iam = await startFakeIamServer();
  const metadata = await startFakeMetadataServer({
    runtimeAccount: ACCOUNT,
    projectId: "demo-bench",
  });
  const saved = { ...process.env };
  Object.assign(process.env, metadataServerEnv(metadata, "demo-bench"));
  try {
    const credentials = new RuntimeCredentials({
      newAuth: async () =>
        new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }),
    });
    const accounts = {
      driver: ACCOUNT,
      consumer: ACCOUNT,
      deliveryDriver: ACCOUNT,
      trustedDeliveryDriver: ACCOUNT,
      deliveryConsumer: ACCOUNT,
      fleetReader: ACCOUNT,
      deliveryFleetReader: ACCOUNT,
    };
    const signers = createIamSignerSet({ signerAccounts: accounts }, credentials, {
      baseUrl: iam.url,
    });
    const { deps, assignments } = benchHandler(signers);
    for (const tripId of ["warm", "one", "burst"]) {
      assignments.trips.set(tripId, { consumerUids: [RIDER], status: "NEW" });
    }
    iam.setDefault({ kind: "delay", ms: iamDelayMs });
    await handleGetFleetEngineToken(riderRequest("warm"), deps); // access token, lazy imports

    let started = nowMs();
    await handleGetFleetEngineToken(riderRequest("one"), deps);
    const oneCallMs = nowMs() - started;

    const before = iam.signedCount();
    started = nowMs();
    await Promise.all(
      Array.from({ length: concurrent }, () =>
        handleGetFleetEngineToken(riderRequest("burst"), deps),
      ),
    );
    const burstMs = nowMs() - started;
    return { concurrent, iamDelayMs, signJwtCalls: iam.signedCount() - before, burstMs, oneCallMs };
  } finally {
    process.env = saved;
    await iam.close();
    await metadata.close();
  }
}
