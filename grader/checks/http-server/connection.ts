import { CheckFailure, countBytes, quoteBytes, type CheckContext, type TcpClient } from "../../harness/index.ts";
import { headerValue, parseResponse, type HttpResponse, type PartialResponse } from "../../protocols/http-response.ts";
import { BODY_LONG_HINT, BODY_SHORT_HINT, HEAD_END_HINT, HEAD_HINT, KEEP_ALIVE_HINT, NO_RESPONSE_HINT, RESET_HINT } from "./hints.ts";
import type { HttpRequest } from "./requests.ts";

/** One request and the response read for it. */
export interface Exchange {
  request: HttpRequest;
  response: HttpResponse;
  /** The request answered before this one on the same connection. */
  previous: HttpRequest | undefined;
  label: string;
}

/**
 * A raw TCP connection to the learner's server that speaks HTTP strictly:
 * requests go out as bytes, and each response is read with the strict
 * parser, exactly Content-Length bytes of body, in the order the requests
 * were sent. Bytes that belong to no response, a connection closed where
 * keep-alive should have kept it, a response cut short: each is a failure
 * that says which, in the transcript of the check's TcpClient.
 */
export class HttpConnection {
  readonly client: TcpClient;
  private readonly ctx: CheckContext;
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private error: NodeJS.ErrnoException | undefined;
  private wake: (() => void) | undefined;
  private readonly outstanding: HttpRequest[] = [];
  private last: Exchange | undefined;

  private constructor(ctx: CheckContext, client: TcpClient) {
    this.ctx = ctx;
    this.client = client;
    // Alongside the TcpClient's own listeners: it keeps its buffer, this keeps ours.
    client.socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    client.socket.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    client.socket.on("error", (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.wake?.();
    });
  }

  static async open(ctx: CheckContext): Promise<HttpConnection> {
    return new HttpConnection(ctx, await ctx.tcp());
  }

  get label(): string {
    return this.client.label;
  }

  send(request: HttpRequest): void {
    this.client.send(request.bytes, request.describe ?? quoteBytes(request.bytes, 300));
    this.outstanding.push(request);
  }

  /** Several requests in one write: pipelining. */
  sendTogether(requests: HttpRequest[]): void {
    const bytes = Buffer.concat(requests.map((r) => r.bytes));
    this.client.send(bytes, `${requests.length} requests in one write: ${quoteBytes(bytes, 600)}`);
    this.outstanding.push(...requests);
  }

  /** One request cut into pieces, each its own segment, `pauseMs` apart. */
  async sendInPieces(request: HttpRequest, pieces: Buffer[], pauseMs: number, how: string): Promise<void> {
    await this.client.sendPieces(pieces, { pauseMs, describe: `${quoteBytes(request.bytes, 300)} ${how}` });
    this.outstanding.push(request);
  }

  /**
   * Reads the response to the oldest request not answered yet. `hint`: the
   * advice when none comes; `context`: which request it is, when several were sent.
   */
  async read(options: { hint?: string; context?: string } = {}): Promise<Exchange> {
    const request = this.outstanding[0];
    if (!request) throw new Error("HttpConnection.read() with no request outstanding");
    const deadline = Date.now() + this.ctx.readTimeoutMs;
    this.ctx.scope.transcript.step(`${this.label} waiting for the response to ${request.what}`);
    for (;;) {
      const result = parseResponse(this.buffer, { method: request.method });
      if (result.kind === "response") return this.take(request, result.response, result.length);
      if (result.kind === "malformed") {
        // After a response, bytes that cannot start a status line are the end of a body longer than announced.
        if (this.last && !"HTTP/".startsWith(this.buffer.toString("latin1", 0, 5))) throw this.extraBytes();
        this.ctx.scope.transcript.add(this.label, `got   ${quoteBytes(this.buffer, 300)}`);
        throw new CheckFailure(`[${this.label}] ${result.problem.says}`, { details: inReplyTo(request, options.context), expected: result.problem.expected, hint: result.problem.hint });
      }
      if (this.ended || this.error || this.ctx.scope.programGone || Date.now() >= deadline) throw await this.unfinished(request, result.partial, options);
      await this.waitForMore(deadline);
    }
  }

  /** After the last response: the program must close the connection, sending nothing more. */
  async expectClose(hint: string): Promise<void> {
    const after = this.last?.request.what ?? "the request";
    const deadline = Date.now() + this.ctx.readTimeoutMs;
    this.ctx.scope.transcript.step(`${this.label} waiting for your program to close the connection`);
    while (!this.ended && !this.error && this.buffer.length === 0 && !this.ctx.scope.programGone && Date.now() < deadline) await this.waitForMore(deadline);
    if (this.buffer.length > 0) throw this.extraBytes();
    if (this.ended || this.error) {
      this.ctx.scope.transcript.add(this.label, "the connection was closed by your program");
      return;
    }
    this.ctx.scope.transcript.add(this.label, `the connection stayed open ${this.ctx.readTimeoutMs} ms after the response`);
    throw new CheckFailure(`[${this.label}] your program kept the connection open after answering ${after}`, {
      expected: [`your program to close the connection after the response to ${after}`],
      hint,
    });
  }

  close(): void {
    this.client.close();
  }

  private take(request: HttpRequest, response: HttpResponse, length: number): Exchange {
    this.buffer = this.buffer.subarray(length);
    this.ctx.scope.transcript.add(this.label, `got   ${quoteBytes(response.raw, 300)}`);
    this.outstanding.shift();
    const exchange: Exchange = { request, response, previous: this.last?.request, label: this.label };
    this.last = exchange;
    // Nothing else was asked for: whatever already follows the body is too much.
    if (this.outstanding.length === 0 && this.buffer.length > 0) throw this.extraBytes();
    return exchange;
  }

  /** Bytes after the last response's body, where only the next status line (or nothing) may be. */
  private extraBytes(): CheckFailure {
    const last = this.last!;
    const extra = this.buffer;
    const { request, response } = last;
    this.ctx.scope.transcript.add(this.label, `got   ${quoteBytes(extra, 300)}`);
    const details = [`in reply to ${request.what}`];
    if (request.method === "HEAD") {
      return new CheckFailure(`[${this.label}] got   ${quoteBytes(extra)} after the head of the response to ${request.what}, which must have no body`, {
        details,
        expected: ["nothing after the empty line that ends the head: a response to HEAD has no body"],
        hint: HEAD_HINT,
      });
    }
    if (extra.toString("latin1", 0, 5) === "HTTP/" && this.outstanding.length === 0) {
      return new CheckFailure(`[${this.label}] got a second response after the response to ${request.what}, but only one request was sent`, {
        details,
        expected: ["one response per request"],
        hint: "answer each request once: after answering, remove the request from your buffer (its head and its Content-Length bytes of body) before looking for the next one.",
      });
    }
    const lengthSays = `Content-Length: ${response.contentLength}`;
    return new CheckFailure(`[${this.label}] got   ${quoteBytes(extra)} after the ${countBytes(response.contentLength)} of body that "${lengthSays}" announced`, {
      details: [...details, `the body, as long as Content-Length says: ${quoteBytes(response.body)}`],
      expected: [this.outstanding.length > 0 ? "the next response's status line right after the body" : "nothing after the body"],
      hint: BODY_LONG_HINT,
    });
  }

  /** The response to `request` did not come whole: say how far it got and why it stopped. */
  private async unfinished(request: HttpRequest, partial: PartialResponse, { hint, context }: { hint?: string; context?: string }): Promise<CheckFailure> {
    const closed = this.ended || this.error !== undefined || this.ctx.scope.programGone;
    if (closed) await this.ctx.expectStillRunning(`[${this.label}] sent ${request.what}`, hint ?? NO_RESPONSE_HINT);
    const ending = this.error ? "the connection was reset by your program" : closed ? "the connection was closed by your program" : `nothing ${this.buffer.length > 0 || this.last ? "more " : ""}within ${this.ctx.readTimeoutMs} ms`;
    const got = this.buffer.length > 0 ? `got   ${quoteBytes(this.buffer, 300)} and then ${ending}` : closed ? ending : `got   ${ending}`;
    this.ctx.scope.transcript.add(this.label, got);
    const details = inReplyTo(request, context);

    if (this.buffer.length === 0) {
      const last = this.last;
      if (closed && last && !last.request.asksToClose) {
        const said = headerValue(last.response, "connection");
        return new CheckFailure(`[${this.label}] the connection was closed by your program after the response to ${last.request.what}, before ${request.what} was answered`, {
          details: said ? [`your response to ${last.request.what} said "Connection: ${said}"`] : [],
          expected: ["the connection to stay open for the next request (HTTP/1.1 keep-alive)", `a response to ${request.what}`],
          hint: KEEP_ALIVE_HINT,
        });
      }
      return new CheckFailure(`[${this.label}] ${got}`, { details: context ? details : [], expected: [`a response to ${request.what}`], hint: this.error ? RESET_HINT : (hint ?? NO_RESPONSE_HINT) });
    }
    if (partial.stage !== "body") {
      return new CheckFailure(`[${this.label}] ${got}`, {
        details: [...details, `the head so far: ${partial.lines.length} line${partial.lines.length === 1 ? "" : "s"}, and no empty line to end it`],
        expected: ['the rest of the head, ending in an empty line ("\\r\\n\\r\\n")'],
        hint: HEAD_END_HINT,
      });
    }
    const length = partial.contentLength ?? 0;
    const came = this.buffer.length - (partial.headLength ?? 0);
    return new CheckFailure(`[${this.label}] your response's "Content-Length: ${length}" announced ${countBytes(length)} of body, but ${came === 0 ? "none" : `only ${countBytes(came)}`} came, and then ${ending}`, {
      details,
      expected: [`${countBytes(length)} of body, as Content-Length says`],
      hint: BODY_SHORT_HINT,
    });
  }

  private async waitForMore(deadline: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await this.ctx.scope.nap(left, (wake) => (this.wake = wake));
  }
}

function inReplyTo(request: HttpRequest, context: string | undefined): string[] {
  return [`in reply to ${request.what}${context ? ` (${context})` : ""}`];
}
