import { quoteBytes, type CheckContext, type TcpClient } from "../../harness/index.ts";

/** How a wait for a line ended when no line came. */
export interface Silence {
  kind: "timeout" | "closed" | "reset" | "error";
  /** Bytes of a line that never got its "\n". */
  partial: Buffer;
  timeoutMs: number;
  code?: string;
}

/**
 * One of the grader's chat clients, named as it joins (alice, bob, ...): the
 * transcript labels its exchanges with that name. It splits what arrives
 * into lines as it comes, so a check reads line by line, and it remembers
 * what a verdict needs to explain a wrong line: what it said itself, which
 * leave notices it has seen, whether it has joined.
 */
export class Member {
  readonly name: string;
  readonly client: TcpClient;
  private readonly ctx: CheckContext;
  private partial: Buffer = Buffer.alloc(0);
  private readonly lines: Buffer[] = [];
  private ended = false;
  private error: NodeJS.ErrnoException | undefined;
  private wake: (() => void) | undefined;
  /** Whether the server took its name: it is in the room. */
  joined = false;
  /** Stopped reading on purpose (its socket paused). */
  paused = false;
  /** Lines it sent once in the room, to recognise one sent back to it. */
  readonly said = new Set<string>();
  /** Names whose "* <name> has left" it has read. */
  readonly sawLeave = new Set<string>();

  private constructor(ctx: CheckContext, client: TcpClient, name: string) {
    this.ctx = ctx;
    this.client = client;
    this.name = name;
    // Alongside the TcpClient's own listeners: it keeps the bytes, this keeps lines.
    client.socket.on("data", (chunk: Buffer) => {
      let rest = this.partial.length === 0 ? chunk : Buffer.concat([this.partial, chunk]);
      let end: number;
      while ((end = rest.indexOf(0x0a)) !== -1) {
        this.lines.push(rest.subarray(0, end));
        rest = rest.subarray(end + 1);
      }
      this.partial = rest;
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
    client.socket.on("close", () => this.wake?.());
  }

  /** Connects to the program; the transcript calls this client by `name` (or `label`). */
  static async connect(ctx: CheckContext, name: string, label = name): Promise<Member> {
    return new Member(ctx, await ctx.tcp({ label }), name);
  }

  get label(): string {
    return this.client.label;
  }

  get open(): boolean {
    return !this.client.socket.destroyed;
  }

  /** Lines that arrived and no read has taken yet. */
  get waiting(): number {
    return this.lines.length;
  }

  /** Sends bytes as they are; `describe` stands in for them in the transcript. */
  send(bytes: Buffer | string, describe?: string): void {
    this.client.send(typeof bytes === "string" ? Buffer.from(bytes) : bytes, describe);
  }

  /** Sends one line of text (a "\n" is added), remembered as said when in the room. */
  say(text: string): void {
    if (this.joined) this.said.add(text);
    this.send(`${text}\n`);
  }

  /**
   * The next line, without its "\n" (a "\r" before it is kept: it is the
   * program's to drop), or how the wait ended without one. `quiet` keeps it
   * out of the transcript: for checks that read hundreds of lines.
   */
  async next(options: { timeoutMs?: number; quiet?: boolean } = {}): Promise<Buffer | Silence> {
    const timeoutMs = options.timeoutMs ?? this.ctx.readTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.error || this.ended || this.client.socket.destroyed || this.ctx.scope.programGone) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.sleepUntilWoken(left);
    }
    const line = this.lines.shift();
    if (line) {
      if (!options.quiet) this.ctx.scope.transcript.add(this.label, `got   ${quoteBytes(Buffer.concat([line, Buffer.from("\n")]), 300)}`);
      return line;
    }
    const kind = this.error ? (this.error.code === "ECONNRESET" || this.error.code === "EPIPE" ? "reset" : "error") : this.ended || this.client.socket.destroyed || this.ctx.scope.programGone ? "closed" : "timeout";
    return { kind, partial: this.partial, timeoutMs, ...(this.error?.code ? { code: this.error.code } : {}) };
  }

  /** Waits until the program closes the connection; returns the lines that came first, or how it did not close. */
  async closed(timeoutMs = this.ctx.readTimeoutMs): Promise<{ lines: Buffer[]; closed: boolean }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && !this.error && !this.client.socket.destroyed && !this.ctx.scope.programGone && Date.now() < deadline) {
      await this.sleepUntilWoken(deadline - Date.now());
    }
    const lines = this.lines.splice(0);
    const closed = this.ended || this.error !== undefined || this.client.socket.destroyed || this.ctx.scope.programGone;
    if (this.partial.length > 0) lines.push(this.partial);
    return { lines, closed };
  }

  /** Closes the connection politely (FIN) and waits, at most `readTimeoutMs`, for the program to close its end too. */
  async hangUp(): Promise<void> {
    this.ctx.scope.transcript.add(this.label, "closed the connection");
    this.client.socket.end();
    await this.closed();
  }

  /** Stops reading: what the program sends piles up in the kernel's buffers, then in the program. */
  stopReading(): void {
    this.paused = true;
    this.client.socket.pause();
    this.ctx.scope.transcript.add(this.label, "stops reading (its socket is paused: what your program sends it piles up in the kernel's buffers)");
  }

  /**
   * Says goodbye with a FIN and waits, at most `limitMs`, for the program to
   * close its end too. Not in the transcript. A paused member reads again
   * first: closing it with unread bytes would reset the connection.
   */
  async leaveQuietly(limitMs: number): Promise<void> {
    if (!this.open) return;
    if (this.paused) this.client.socket.resume();
    this.client.socket.end();
    const deadline = Date.now() + limitMs;
    while (!this.ended && !this.error && !this.client.socket.destroyed && Date.now() < deadline) await this.sleepUntilWoken(deadline - Date.now());
    this.client.socket.destroy();
  }

  private async sleepUntilWoken(ms: number): Promise<void> {
    await this.ctx.scope.nap(ms, (wake) => (this.wake = wake));
  }
}

/** "got nothing within 1000 ms", "got "ab" and then the connection was closed by your program". */
export function describeSilence(silence: Silence): string {
  const ending =
    silence.kind === "timeout"
      ? `nothing${silence.partial.length > 0 ? " more" : ""} within ${silence.timeoutMs} ms`
      : silence.kind === "closed"
        ? "the connection was closed by your program"
        : silence.kind === "reset"
          ? "the connection was reset by your program"
          : `a socket error: ${silence.code ?? "unknown"}`;
  if (silence.partial.length > 0) return `got   ${quoteBytes(silence.partial, 300)} (no "\\n" after it) and then ${ending}`;
  return silence.kind === "timeout" ? `got   ${ending}` : ending;
}
