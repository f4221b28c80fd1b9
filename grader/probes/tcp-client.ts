import net from "node:net";
import { CheckFailure } from "./check-failure.ts";
import { describeDifference } from "./byte-diff.ts";
import { countBytes, quoteBytes } from "./format-bytes.ts";
import { classifySocketError, hintFor } from "./socket-hints.ts";
import type { ProbeScope } from "./probe-scope.ts";

export interface TcpConnectOptions {
  port: number;
  host?: string;
  /** Bind the client to this local address first (127.0.0.2, ::1, ...). */
  localAddress?: string;
  label?: string;
}

interface ReadOptions {
  timeoutMs?: number;
  hint?: string;
  /** How much of what came back the transcript shows (80 characters, 300 for lines). */
  maxChars?: number;
  /** How the transcript names what was sent, when the bytes are too many to show. */
  describe?: string;
}

/**
 * A grader-side TCP client. Incoming bytes are buffered as they arrive; each
 * read waits, with a timeout, for the bytes it needs, and every exchange goes
 * into the check's transcript under this client's label.
 */
export class TcpClient {
  readonly label: string;
  readonly socket: net.Socket;
  private readonly scope: ProbeScope;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Everything that arrived so far, read or not: "nothing" reads "nothing more" after it. */
  private received = 0;
  private ended = false;
  private error: NodeJS.ErrnoException | undefined;
  private wake: (() => void) | undefined;

  private constructor(scope: ProbeScope, socket: net.Socket, label: string) {
    this.scope = scope;
    this.socket = socket;
    this.label = label;
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.received += chunk.length;
      this.wake?.();
    });
    socket.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.wake?.();
    });
    socket.on("close", () => this.wake?.());
  }

  static async connect(scope: ProbeScope, options: TcpConnectOptions): Promise<TcpClient> {
    const label = options.label ?? scope.nextLabel();
    const host = options.host ?? "127.0.0.1";
    const where = `${host.includes(":") ? `[${host}]` : host}:${options.port}`;
    const socket = net.connect({ port: options.port, host, localAddress: options.localAddress, allowHalfOpen: true });
    scope.track(() => socket.destroy());
    const from = options.localAddress ? ` from ${options.localAddress}` : "";
    scope.transcript.step(`${label} connecting to ${where}`);
    await new Promise<void>((resolve, reject) => {
      // Both listeners go once the connection settles, so a later reset is not told as a failed connect.
      const settle = () => {
        clearTimeout(timer);
        socket.off("connect", onConnect);
        socket.off("error", onError);
      };
      const timer = setTimeout(() => {
        settle();
        socket.destroy();
        const what = `could not connect to ${where}${from} within ${scope.readTimeoutMs} ms`;
        scope.transcript.add(label, what);
        reject(new CheckFailure(`[${label}] ${what}`, { hint: hintFor("connect-timeout") }));
      }, scope.readTimeoutMs);
      const onConnect = () => {
        settle();
        resolve();
      };
      const onError = (error: NodeJS.ErrnoException) => {
        settle();
        const problem = classifySocketError(error);
        // The kernel accepted, then the program reset before Node reported the connection.
        const what = problem === "reset" ? `the connection to ${where} was reset by your program as soon as it was accepted` : `could not connect to ${where}${from}: ${error.code ?? error.message}`;
        scope.transcript.add(label, what);
        reject(new CheckFailure(`[${label}] ${what}`, { hint: hintFor(problem) }));
      };
      socket.on("connect", onConnect);
      socket.on("error", onError);
    });
    scope.transcript.add(label, `connected to ${where}${from} (local port ${socket.localPort})`);
    return new TcpClient(scope, socket, label);
  }

  /** Queues bytes to send and returns at once, so reading can go on meanwhile. */
  send(data: Buffer | string, describe?: string): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    this.scope.transcript.add(this.label, `sent  ${describe ?? quoteBytes(bytes)}`);
    this.socket.write(bytes);
  }

  /**
   * Sends `pieces` one after another, `pauseMs` apart, Nagle's algorithm off
   * so each leaves as its own segment. With `describe`, the transcript gets
   * that one line instead of a line per piece (150 pieces read badly).
   */
  async sendPieces(pieces: Buffer[], options: { pauseMs?: number; describe?: string } = {}): Promise<void> {
    this.socket.setNoDelay(true);
    if (options.describe) this.scope.transcript.add(this.label, `sent  ${options.describe}`);
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 3));
      if (options.describe) this.socket.write(piece);
      else this.send(piece);
    }
  }

  /** Sends FIN: "I have nothing more to say", while still reading. */
  halfClose(): void {
    this.scope.transcript.add(this.label, "closed its sending side (half-close)");
    this.socket.end();
  }

  /** Sends RST and drops the connection at once, as a crashing client would. */
  reset(): void {
    this.scope.transcript.add(this.label, "reset the connection (RST)");
    this.socket.resetAndDestroy();
  }

  close(): void {
    if (!this.socket.destroyed) this.scope.transcript.add(this.label, "closed the connection");
    this.socket.destroy();
  }

  /** Bytes that arrived and no read has taken yet. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Reads exactly `count` bytes. */
  async readBytes(count: number, options: ReadOptions & { expected?: Buffer } = {}): Promise<Buffer> {
    await this.waitFor(() => this.buffered >= count, options, options.expected);
    return this.record(this.take(count), options);
  }

  /** Reads up to and including the next "\n"; returns the line without "\r\n". */
  async readLine(options: ReadOptions & { expected?: string } = {}): Promise<string> {
    const expected = options.expected === undefined ? undefined : Buffer.from(`${options.expected}\n`);
    await this.waitFor(() => this.peek().includes(0x0a), options, expected);
    const line = this.record(this.take(this.peek().indexOf(0x0a) + 1), { maxChars: 300, ...options });
    return line.toString("utf8").replace(/\r?\n$/, "");
  }

  /** Reads until the program closes the connection, and returns everything. */
  async readToEnd(options: ReadOptions = {}): Promise<Buffer> {
    await this.waitFor(() => this.ended, options, undefined, "close the connection");
    const rest = this.take(this.buffered);
    if (rest.length > 0) this.record(rest, options);
    this.scope.transcript.add(this.label, "the connection was closed by your program");
    return rest;
  }

  /** Reads exactly the expected bytes and fails with a byte-level diff when they differ. */
  async expectBytes(expected: Buffer | string, options: ReadOptions = {}): Promise<void> {
    const want = typeof expected === "string" ? Buffer.from(expected) : expected;
    const got = await this.readBytes(want.length, { ...options, expected: want });
    if (!got.equals(want)) {
      throw new CheckFailure(`[${this.label}] got   ${options.describe ? `${countBytes(got.length)} that differ` : quoteBytes(got)}`, {
        expected: [`${options.describe ?? quoteBytes(want)}`, ...(describeDifference(want, got)?.split("\n") ?? [])],
        hint: options.hint,
      });
    }
  }

  /** Reads one line and compares it with the expected text. */
  async expectLine(expected: string, options: ReadOptions = {}): Promise<void> {
    const got = await this.readLine({ ...options, expected });
    if (got !== expected) {
      const want = Buffer.from(`${expected}\n`);
      const have = Buffer.from(`${got}\n`);
      throw new CheckFailure(`[${this.label}] got   ${quoteBytes(have, 300)}`, {
        expected: [quoteBytes(want, 300), ...(describeDifference(want, have)?.split("\n") ?? [])],
        hint: options.hint,
      });
    }
  }

  /** Expects the program to close the connection, with no more bytes before it. */
  async expectClose(options: ReadOptions = {}): Promise<void> {
    const rest = await this.readToEnd(options);
    if (rest.length > 0) {
      throw new CheckFailure(`[${this.label}] got   ${quoteBytes(rest)} before the connection closed`, {
        expected: "the connection to close with nothing more sent",
        hint: options.hint,
      });
    }
  }

  private record(bytes: Buffer, options: ReadOptions): Buffer {
    this.scope.transcript.add(this.label, `got   ${options.describe ? countBytes(bytes.length) : quoteBytes(bytes, options.maxChars)}`);
    return bytes;
  }

  private peek(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(count: number): Buffer {
    const all = this.peek();
    const taken = all.subarray(0, count);
    this.chunks = all.length > count ? [all.subarray(count)] : [];
    this.buffered -= taken.length;
    return taken;
  }

  /**
   * Waits until `ready()` holds, or fails naming what happened instead: the
   * connection closed, was reset, or stayed silent past the timeout.
   */
  private async waitFor(ready: () => boolean, options: ReadOptions, expected?: Buffer, goal = "reply"): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.scope.readTimeoutMs;
    this.scope.transcript.step(`${this.label} waiting for ${expected ? quoteBytes(expected) : `the program to ${goal}`}`);
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.error || this.ended || this.socket.destroyed) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.scope.nap(left, (wake) => (this.wake = wake));
    }
    if (ready()) return;
    const partial = this.peek();
    const sofar = partial.length > 0 ? `got   ${options.describe ? countBytes(partial.length) : quoteBytes(partial)} and then ` : "";
    const expectedLines = expected ? [options.describe ?? quoteBytes(expected)] : goal === "close the connection" ? ["the connection to close"] : [];
    if (expected && partial.length > 0) expectedLines.push(...(describeDifference(expected, partial)?.split("\n") ?? []));
    if (this.error) {
      const problem = classifySocketError(this.error);
      const what = problem === "reset" ? "the connection was reset by your program" : `a socket error: ${this.error.code ?? this.error.message}`;
      throw this.failure(`${sofar}${what}`, { expected: expectedLines, hint: options.hint ?? hintFor(problem) });
    }
    if (this.ended) {
      throw this.failure(`${sofar}the connection was closed by your program`, { expected: expectedLines, hint: options.hint ?? hintFor("eof") });
    }
    throw this.failure(`${sofar || "got   "}nothing ${this.received > 0 ? "more " : ""}within ${timeoutMs} ms`, {
      expected: expectedLines,
      hint: options.hint ?? hintFor("timeout"),
    });
  }

  /** Records what went wrong in the transcript and returns it as a failure. */
  private failure(text: string, details: ConstructorParameters<typeof CheckFailure>[1]): CheckFailure {
    this.scope.transcript.add(this.label, text);
    return new CheckFailure(`[${this.label}] ${text}`, details);
  }
}
