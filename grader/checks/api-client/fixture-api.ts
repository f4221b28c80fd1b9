import http from "node:http";
import type { AddressInfo } from "node:net";
import { countBytes, cutInsideCharacters, quoteBytes, type CheckContext } from "../../harness/index.ts";

/**
 * What the API does with a request for one path:
 * - "json": answer `status` with `body` (JSON or not), after `delayMs`, and in
 *   pieces cut inside multi-byte characters when `inPieces` is set;
 * - "redirect": answer `status` with a Location header;
 * - "silent": accept the request and never answer;
 * - "stall": send the headers and the first part of `body`, then nothing.
 */
export type Answer =
  | { kind: "json"; status: number; body: string; contentType?: string; inPieces?: boolean; delayMs?: number }
  | { kind: "redirect"; status: 301 | 302 | 307 | 308; location: string }
  | { kind: "silent" }
  | { kind: "stall"; body: string };

/** One request as the API saw it. */
export interface Seen {
  method: string;
  /** The request target: path and query, as sent. */
  target: string;
  /** The path alone, without the query. */
  path: string;
  at: number;
}

const LABEL = "grader's API";
const PIECE_PAUSE_MS = 3;
/** Ports fetch() refuses to connect to (the Fetch standard's "bad ports") that the kernel could hand out. */
const BAD_PORTS = new Set([1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);

/** fetch() will not connect to this port, whatever listens there. */
export function fetchRefuses(port: number): boolean {
  return BAD_PORTS.has(port);
}

/**
 * The grader's JSON API for api-client: node:http on 127.0.0.1, a free
 * port, serving the answers the check sets per path, and 404 with "{}" (as
 * the placeholder API does) for any other path. Every request goes into the
 * transcript with what it got. Closed, connections and timers too, when the
 * check ends.
 */
export class FixtureApi {
  readonly requests: Seen[] = [];
  /** The base URL the client gets as API_URL: origin plus the prefix, no trailing slash. */
  readonly url: string;
  private readonly answers = new Map<string, Answer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;
  private readonly ctx: CheckContext;

  private constructor(ctx: CheckContext, server: http.Server, prefix: string) {
    this.ctx = ctx;
    this.server = server;
    this.url = `${this.origin}${prefix}`;
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => this.answer(request, response));
  }

  /** Starts the API; the check's scope closes it. `prefix` is the path part of API_URL ("" or "/api/v1"). */
  static async open(ctx: CheckContext, prefix = ""): Promise<FixtureApi> {
    for (;;) {
      const server = http.createServer();
      server.on("clientError", (_error, socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      if (!fetchRefuses(port)) {
        const api = new FixtureApi(ctx, server, prefix);
        ctx.scope.track(() => api.close());
        return api;
      }
      server.close();
    }
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What to answer to a request for `path` (the full path, prefix included). */
  on(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  /** The requests that came after the first `from` ones: those of one run, when runs take turns. */
  since(from: number): Seen[] {
    return this.requests.slice(from);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.close();
    this.server.closeAllConnections();
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  private log(text: string): void {
    this.ctx.scope.transcript.add(LABEL, text);
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const target = request.url ?? "/";
    const path = target.split("?")[0]!;
    const method = request.method ?? "GET";
    this.requests.push({ method, target, path, at: Date.now() });
    response.on("error", () => {});
    const got = `got ${method} ${target}`;
    const answer = this.answers.get(path) ?? { kind: "json", status: 404, body: "{}" };
    const known = this.answers.has(path);
    switch (answer.kind) {
      case "json": {
        const send = () => this.sendJson(response, answer, method);
        const shown = `${answer.status} ${http.STATUS_CODES[answer.status]} with ${quoteBytes(answer.body)}${answer.inPieces ? ", in pieces cut inside its characters" : ""}`;
        if (!answer.delayMs) {
          this.log(`${got}: ${known ? "" : "nothing is there, "}answered ${shown}`);
          send();
          return;
        }
        this.log(`${got}: will answer in ${answer.delayMs / 1000} s`);
        this.later(answer.delayMs, () => {
          this.log(`answered ${target} after ${answer.delayMs! / 1000} s: ${shown}`);
          send();
        });
        return;
      }
      case "redirect":
        this.log(`${got}: answered ${answer.status} ${http.STATUS_CODES[answer.status]}, Location: ${answer.location}`);
        response.writeHead(answer.status, { Location: answer.location, "Content-Length": 0 });
        response.end();
        return;
      case "silent":
        this.log(`${got}: will never answer (the connection stays open)`);
        return;
      case "stall": {
        const body = Buffer.from(answer.body);
        const part = body.subarray(0, Math.floor(body.length / 3));
        this.log(`${got}: sent the headers of a 200 OK and the first third of the body (${part.length} of ${countBytes(body.length)}), and will send no more`);
        response.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length });
        response.write(part);
        return;
      }
    }
  }

  private sendJson(response: http.ServerResponse, answer: Extract<Answer, { kind: "json" }>, method: string): void {
    const body = Buffer.from(answer.body);
    response.writeHead(answer.status, { "Content-Type": answer.contentType ?? "application/json; charset=utf-8", "Content-Length": body.length });
    if (method === "HEAD") return void response.end();
    if (!answer.inPieces) return void response.end(body);
    // Each piece leaves as its own segment, so a client that decodes every chunk on its own sees split characters.
    response.socket?.setNoDelay(true);
    const pieces = cutInsideCharacters(answer.body);
    const next = (k: number) => {
      if (response.destroyed) return;
      if (k === pieces.length - 1) return void response.end(pieces[k]);
      response.write(pieces[k]);
      this.later(PIECE_PAUSE_MS, () => next(k + 1));
    };
    next(0);
  }
}
