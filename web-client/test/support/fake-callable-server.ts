import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake callable received. */
export interface ReceivedCall {
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** How the fake answers: an HTTP status and a JSON body, or silence (to test timeouts). */
export type FakeAnswer = { status: number; body: unknown } | "hang";

/**
 * A stand-in for the callable on 127.0.0.1 and a random port, speaking the callable protocol
 * (POST {data}, answer {result} or {error}), so that unit tests run the real firebase SDK
 * without the emulators. It records what it receives.
 */
export class FakeCallableServer {
  readonly calls: ReceivedCall[] = [];
  answer: FakeAnswer = { status: 500, body: {} };
  readonly #server: Server = createServer((request, response) => this.#handle(request, response));

  static async start(): Promise<FakeCallableServer> {
    const fake = new FakeCallableServer();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Answers every call with this result (`{ result: data }`, HTTP 200). */
  respondWith(data: unknown): void {
    this.answer = { status: 200, body: { result: data } };
  }

  /** Answers every call with a callable error, e.g. ("PERMISSION_DENIED", 403). */
  failWith(status: string, httpStatus: number, message: string): void {
    this.answer = { status: httpStatus, body: { error: { status, message } } };
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      this.calls.push({
        url: request.url ?? "",
        headers: request.headers,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      });
      if (this.answer === "hang") return; // never answers; stop() closes the connection
      response.writeHead(this.answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(this.answer.body));
    });
  }
}
