import { Agent, createServer, request as forward, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A network round trip of fixed length in front of a real server: an HTTP reverse proxy on
 * 127.0.0.1 that holds each request for `delayMs`, then forwards it (method, path, headers, body)
 * to `target` and streams the answer back. Point a real client at it (FIREBASE_AUTH_EMULATOR_HOST,
 * FIRESTORE_EMULATOR_HOST) and every request that client makes costs `delayMs` more, exactly as
 * a farther backend would; the server behind still does the real work.
 *
 * The delay applies per HTTP request, not per TCP packet: a keep-alive connection is reused as
 * by the real clients in production, and a request that the client never sends costs nothing.
 */
export interface LatencyProxy {
  /** host:port, the form the *_EMULATOR_HOST variables take. */
  readonly host: string;
  /** Requests forwarded so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const [targetHost, targetPort] = splitHost(target);
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let forwarded = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      setTimeout(() => {
        forwarded++;
        const upstream = forward(
          {
            host: targetHost,
            port: targetPort,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, host: target },
            agent,
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        upstream.on("error", (error) => {
          outgoing.writeHead(502, { "content-type": "text/plain" });
          outgoing.end(`latency proxy: ${error.message}`);
        });
        upstream.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
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
