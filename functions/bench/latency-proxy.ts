import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A network round trip of fixed length in front of a real server: a TCP proxy on 127.0.0.1 that
 * forwards everything the client sends `delayMs` late (in order) and the server's answers at
 * once. Point a real client at it (FIREBASE_AUTH_EMULATOR_HOST, FIRESTORE_EMULATOR_HOST) and
 * every request it makes costs `delayMs` more, whatever the protocol: HTTP/1.1 for Auth, HTTP/2
 * (gRPC) for Firestore. The server behind still does the real work.
 *
 * Connections are reused as the real clients reuse them; a new connection pays the delay once
 * more for its handshake, which the benchmark's warm-up absorbs, as a warm instance does.
 */
export interface LatencyProxy {
  /** host:port, the form the *_EMULATOR_HOST variables take. */
  readonly host: string;
  /** Bytes forwarded to the server so far: shows that a client really used this path. */
  bytesForwarded(): number;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const [targetHost, targetPort] = splitHost(target);
  const sockets = new Set<Socket>();
  let forwarded = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Timers of equal length fire in the order they were set: the byte stream stays in order.
    client.on("data", (chunk: Buffer) => {
      setTimeout(() => {
        forwarded += chunk.length;
        if (!upstream.destroyed) upstream.write(chunk);
      }, delayMs);
    });
    client.on("end", () => setTimeout(() => upstream.end(), delayMs));
    upstream.pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    bytesForwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHost(hostPort: string): [string, number] {
  const colon = hostPort.lastIndexOf(":");
  const port = Number(hostPort.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new Error(`not host:port: ${hostPort}`);
  return [hostPort.slice(0, colon), port];
}
