import diagnostics from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { CheckFailure, quoteBytes, type CheckContext } from "../../harness/index.ts";
import { KEEP_ALIVE_HINT } from "./hints.ts";

export interface FetchResult {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
  /** "GET /echo?msg=hi": what the failure messages call the request. */
  what: string;
}

interface Connection {
  number: number;
  socket: Socket;
  /** The requests whose responses came on it, in order. */
  answered: string[];
  /** Set when the program closed it (a FIN from its side): the last request answered on it by then. */
  closedAfter?: string;
}

/**
 * Node's own fetch (undici) against the learner's program, with its
 * connections in view. undici reports each connection it opens and the
 * socket each request goes out on through diagnostics_channel, so the check
 * sees what the program did with them: kept them open for the next request
 * (keep-alive), or closed them (a FIN from its side, caught as the socket's
 * 'end'). Every socket is destroyed when the check ends: undici would
 * otherwise keep idle ones for seconds.
 */
export class FetchProbe {
  private readonly ctx: CheckContext;
  private readonly connections = new Map<Socket, Connection>();
  private sent = 0;
  /** The connection the request in flight went out on. */
  private inFlight: Connection | undefined;

  private constructor(ctx: CheckContext) {
    this.ctx = ctx;
  }

  static watch(ctx: CheckContext): FetchProbe {
    const probe = new FetchProbe(ctx);
    const connected = (message: unknown) => probe.onConnected(message as { connectParams: { port: string | number }; socket: Socket });
    const sendHeaders = (message: unknown) => probe.onSendHeaders(message as { socket: Socket });
    diagnostics.subscribe("undici:client:connected", connected);
    diagnostics.subscribe("undici:client:sendHeaders", sendHeaders);
    ctx.scope.track(() => {
      diagnostics.unsubscribe("undici:client:connected", connected);
      diagnostics.unsubscribe("undici:client:sendHeaders", sendHeaders);
      for (const socket of probe.connections.keys()) socket.destroy();
    });
    return probe;
  }

  /** Whether undici told us about any connection: if a Node release stops publishing, the reuse test is skipped, not failed. */
  get watching(): boolean {
    return this.connections.size > 0;
  }

  /** fetch() with a time limit, the exchange in the transcript, and failures in words. */
  async fetch(path: string, init: { method?: string; body?: string; what?: string } = {}): Promise<FetchResult> {
    const method = init.method ?? "GET";
    const what = init.what ?? `${method} ${path}`;
    const url = `http://127.0.0.1:${this.ctx.port}${path}`;
    const label = "fetch";
    this.ctx.scope.transcript.add(label, `sent  ${method} ${url}${init.body === undefined ? "" : ` with the body ${quoteBytes(init.body)}`}`);
    this.ctx.scope.transcript.step(`fetch waiting for the response to ${what}`);
    this.sent += 1;
    this.inFlight = undefined;
    const signal = AbortSignal.timeout(this.ctx.readTimeoutMs);
    try {
      const response = await fetch(url, { method, ...(init.body === undefined ? {} : { body: init.body }), signal });
      const body = Buffer.from(await response.arrayBuffer());
      this.answeredInFlight(what);
      const type = response.headers.get("content-type");
      this.ctx.scope.transcript.add(label, `got   ${response.status} ${response.statusText}${type ? `, content-type "${type}"` : ""}, body ${quoteBytes(body, 120)}`);
      // Give undici the turn it takes to put the connection back in its pool, or the next request opens another.
      await new Promise((resolve) => setImmediate(resolve));
      return { status: response.status, statusText: response.statusText, headers: response.headers, body, what };
    } catch (error) {
      throw this.failed(what, error);
    }
  }

  /** Fails unless the program kept one connection open for all the requests. */
  expectOneConnection(): void {
    const all = [...this.connections.values()];
    const closed = all.find((c) => c.closedAfter !== undefined);
    if (closed) {
      throw new CheckFailure(`[fetch] your program closed connection ${closed.number} after answering ${closed.closedAfter}`, {
        details: [`fetch's ${this.sent} requests needed ${all.length} connection${all.length === 1 ? "" : "s"}`],
        expected: ["the connection to stay open for the next request: fetch sends every request with keep-alive"],
        hint: KEEP_ALIVE_HINT,
      });
    }
    if (this.sent > 1 && all.length >= this.sent) {
      throw new CheckFailure(`[fetch] each of fetch's ${this.sent} requests went out on a new connection`, {
        expected: ["the requests to share one connection (HTTP/1.1 keep-alive)"],
        hint: KEEP_ALIVE_HINT,
      });
    }
    this.ctx.scope.transcript.add("fetch", `sent its ${this.sent} requests on ${all.length} connection${all.length === 1 ? "" : "s"}, kept open by your program`);
  }

  private onConnected(message: { connectParams: { port: string | number }; socket: Socket }): void {
    if (Number(message.connectParams.port) !== this.ctx.port) return;
    const connection: Connection = { number: this.connections.size + 1, socket: message.socket, answered: [] };
    this.connections.set(message.socket, connection);
    this.ctx.scope.transcript.add("fetch", `opened connection ${connection.number} (local port ${message.socket.localPort})`);
    message.socket.once("end", () => {
      connection.closedAfter = connection.answered.at(-1) ?? "nothing (before any request)";
      this.ctx.scope.transcript.add("fetch", `connection ${connection.number} was closed by your program`);
    });
  }

  /** The request in flight was answered: on its connection, the program's FIN now comes after it. */
  private answeredInFlight(what: string): void {
    this.inFlight?.answered.push(what);
  }

  private onSendHeaders(message: { socket: Socket }): void {
    this.inFlight = this.connections.get(message.socket) ?? this.inFlight;
  }

  private failed(what: string, error: unknown): CheckFailure {
    const err = error as Error & { cause?: Error & { code?: string } };
    if (err.name === "TimeoutError" || err.name === "AbortError") {
      this.ctx.scope.transcript.add("fetch", `got   no complete response within ${this.ctx.readTimeoutMs} ms`);
      return new CheckFailure(`[fetch] got no complete response to ${what} within ${this.ctx.readTimeoutMs} ms`, {
        expected: [`a response to ${what}, its body exactly Content-Length bytes`],
        hint: "fetch reads exactly Content-Length bytes of body, or, without a Content-Length, waits for the connection to close. Check that the response has a Content-Length and that the request's own body (lower-case content-length from fetch) is read in full.",
      });
    }
    const cause = err.cause ? `${err.cause.code ? `${err.cause.code}: ` : ""}${err.cause.message}` : err.message;
    this.ctx.scope.transcript.add("fetch", `failed: ${cause}`);
    const closed = this.inFlight?.closedAfter === undefined ? undefined : this.inFlight;
    if (closed) {
      return new CheckFailure(`[fetch] ${what} failed (${cause}): your program had closed connection ${closed.number} after answering ${closed.closedAfter}`, {
        details: ['fetch sent the request on that connection: an HTTP/1.1 response without "Connection: close" promises it stays open'],
        expected: ["the connection to stay open for the next request (HTTP/1.1 keep-alive)"],
        hint: KEEP_ALIVE_HINT,
      });
    }
    return new CheckFailure(`[fetch] ${what} failed: ${cause}`, {
      expected: [`a well-formed HTTP/1.1 response to ${what}`],
      hint: "fetch rejected the response, or the connection ended before one came. The raw-socket checks of this exercise say more about the format; make sure each response is whole, with an exact Content-Length.",
    });
  }
}
