import net from "node:net";
import { CheckFailure, countBytes, describeDifference, quoteBytes, type CheckContext } from "../../harness/index.ts";

/**
 * What a backend does with a connection, chosen by the first line the
 * client sends through the load balancer, "<mode> <client label>\n":
 * - echo: answer "backend-N\n", then send back every byte, and close after the FIN;
 * - hold: answer "backend-N\n", then do only what the check tells it to.
 */
export type Mode = "echo" | "hold";

/** How a connection ended, as the backend saw it. */
export type Ending = "fin" | "reset" | "open";

/** The longest first line a backend waits for: anything longer is not one of the grader's. */
const FIRST_LINE_MAX = 200;

/** Makes waits event-driven: every change wakes whoever waits for a condition. */
class Changes {
  private waiters = new Set<() => void>();

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves true as soon as `ready()` holds, false after `ms`. */
  async until(ready: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
    return true;
  }
}

/**
 * One connection a backend accepted from the learner's program. It reads
 * the first line to learn whose connection it is and what to do; in "hold"
 * mode the check then drives it: send, read, half-close, reset, stop reading.
 */
export class BackendConnection {
  readonly backend: Backend;
  readonly socket: net.Socket;
  /** Order of acceptance over the whole grading, across backends. */
  readonly serial: number;
  /** The client label of the first line ("client-3"), once it came. */
  tag: string | undefined;
  mode: Mode | undefined;
  /** The first line as it came, when it was not one of the grader's. */
  strangeLine: Buffer | undefined;
  /** Bytes after the first line: what a "hold" read takes, and what "echo" sent back. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  private head = Buffer.alloc(0);
  /** Every byte after the first line, counted. */
  received = 0;
  gotFin = false;
  resetBy: string | undefined;
  closed = false;
  private readonly pool: BackendPool;

  constructor(pool: BackendPool, backend: Backend, socket: net.Socket, serial: number) {
    this.pool = pool;
    this.backend = backend;
    this.socket = socket;
    this.serial = serial;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => {
      this.gotFin = true;
      this.log(this.mode === "echo" ? "got FIN, and closed its side too" : "got FIN: the client's side is closed");
      if (this.mode !== "hold") socket.end();
      pool.changes.notify();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.resetBy = error.code ?? error.message;
      if (!this.closed) this.log(`the connection failed: ${this.resetBy}${error.code === "ECONNRESET" ? " (reset by your program)" : ""}`);
      pool.changes.notify();
    });
    socket.on("close", () => {
      this.closed = true;
      pool.changes.notify();
    });
  }

  /** "backend-2 for client-1": how the transcript names this connection. */
  get source(): string {
    return this.tag ? `${this.backend.name} for ${this.tag}` : this.backend.name;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Everything that came after the first line and no read has taken. */
  peek(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  send(data: Buffer | string, describe?: string): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    this.log(`sent  ${describe ?? quoteBytes(bytes)}`);
    this.socket.write(bytes);
  }

  halfClose(): void {
    this.log("closed its sending side (FIN)");
    this.socket.end();
  }

  reset(): void {
    this.log("reset the connection (RST)");
    this.socket.resetAndDestroy();
  }

  /** Stops taking bytes off the socket, as a slow or stuck server does. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Waits for exactly `want` (after the first line) and fails with a byte diff when it differs. */
  async expectBytes(want: Buffer, options: { describe?: string; timeoutMs: number; hint: string; via: string }): Promise<void> {
    const what = options.describe ?? quoteBytes(want);
    this.pool.step(`${this.source} waiting for ${what}`);
    await this.pool.changes.until(() => this.buffered >= want.length || this.gotFin || this.closed, options.timeoutMs);
    const got = this.take(Math.min(want.length, this.buffered));
    const shown = options.describe ? countBytes(got.length) : quoteBytes(got);
    if (got.equals(want)) {
      this.log(`got   ${shown}`);
      return;
    }
    const after = got.length === want.length ? (options.describe ? " that differ" : "") : this.gotFin ? ", then FIN" : this.resetBy ? `, then ${this.resetBy}` : `, then nothing more within ${options.timeoutMs} ms`;
    const happened = `${got.length === 0 ? "got   nothing" : `got   ${shown}`}${after}`;
    this.log(happened);
    throw new CheckFailure(`[${this.source}] ${happened}`, {
      expected: [`${what}, ${options.via}`, ...(got.length > 0 ? (describeDifference(want, got)?.split("\n") ?? []) : [])],
      hint: options.hint,
    });
  }

  /** Waits until the connection ends (FIN, reset or close); says how, or "open" after `ms`. */
  async ending(ms: number): Promise<Ending> {
    await this.pool.changes.until(() => this.gotFin || this.closed || this.resetBy !== undefined, ms);
    if (this.gotFin) return "fin";
    return this.closed || this.resetBy !== undefined ? "reset" : "open";
  }

  log(text: string): void {
    this.pool.log(this.source, text);
  }

  /** Drops the bytes kept for reads: the check that wanted them is over. */
  forget(): void {
    this.chunks = [];
    this.buffered = 0;
  }

  private take(count: number): Buffer {
    const all = this.peek();
    const taken = all.subarray(0, count);
    this.chunks = all.length > count ? [all.subarray(count)] : [];
    this.buffered -= taken.length;
    return taken;
  }

  private onData(chunk: Buffer): void {
    if (this.mode === undefined && this.strangeLine === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      const newline = this.head.indexOf(0x0a);
      if (newline === -1 && this.head.length < FIRST_LINE_MAX) return;
      const line = this.head.subarray(0, newline === -1 ? this.head.length : newline + 1);
      chunk = this.head.subarray(line.length);
      this.head = Buffer.alloc(0);
      this.readFirstLine(line);
    }
    if (chunk.length === 0) return;
    this.received += chunk.length;
    if (this.mode === "echo") {
      if (!this.pool.quiet) this.log(`echoed ${quoteBytes(chunk)}`);
      this.socket.write(chunk);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.pool.changes.notify();
  }

  private readFirstLine(line: Buffer): void {
    const match = /^(echo|hold) (\S+)\n$/.exec(line.toString("latin1"));
    if (!match) {
      this.strangeLine = line;
      this.mode = "echo";
      this.log(`got   ${quoteBytes(line)}, which is not the line the grader's client sent first; echoing from here on`);
      this.pool.changes.notify();
      return;
    }
    this.mode = match[1] as Mode;
    this.tag = match[2];
    const answer = `${this.backend.name}\n`;
    this.socket.write(answer);
    if (!this.pool.quiet) this.log(`got   ${quoteBytes(line)}, answered ${quoteBytes(answer)}`);
    this.pool.changes.notify();
  }
}

/** One of the grader's backend servers: a port on 127.0.0.1 that can stop and start listening. */
export class Backend {
  readonly name: string;
  readonly port: number;
  private server: net.Server | undefined;
  private readonly onConnection: (socket: net.Socket) => void;

  private constructor(name: string, port: number, server: net.Server, onConnection: (socket: net.Socket) => void) {
    this.name = name;
    this.port = port;
    this.server = server;
    this.onConnection = onConnection;
  }

  static async open(name: string, onConnection: (backend: Backend, socket: net.Socket) => void): Promise<Backend> {
    let backend: Backend | undefined;
    const server = await listen(0, (socket) => onConnection(backend!, socket));
    backend = new Backend(name, (server.address() as net.AddressInfo).port, server, (socket) => onConnection(backend!, socket));
    return backend;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Closes the listening socket, keeping open connections: a connect to the port is refused from now on. */
  async refuse(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.close();
    // The kernel drops the listener at once; make sure before a check counts on it.
    for (let i = 0; i < 50 && (await accepts(this.port)); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /** Listens again on the same port. */
  async reopen(): Promise<void> {
    if (this.server) return;
    // An outgoing connection may hold the port for a moment (it was free): try again briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        this.server = await listen(this.port, this.onConnection);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
  }
}

function listen(port: number, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** True when something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The grader's backends for load-balancer: made once per grading (the
 * program's BACKENDS), shared by every check. Each check attaches to it so
 * that what the backends see goes into that check's transcript, and when the
 * check ends its backend connections are closed and every backend listens again.
 */
export class BackendPool {
  readonly backends: Backend[] = [];
  readonly connections: BackendConnection[] = [];
  readonly changes = new Changes();
  /** In a crowded check, leaves out the routine lines (accepted, first line, echoes). */
  quiet = false;
  private ctx: CheckContext | undefined;
  /** The first connection of the current check: client labels start again at client-1 in each. */
  private checkStart = 0;
  private reopening: Promise<void> = Promise.resolve();

  static async open(count: number): Promise<BackendPool> {
    const pool = new BackendPool();
    for (let i = 1; i <= count; i++) pool.backends.push(await Backend.open(`backend-${i}`, (backend, socket) => pool.accept(backend, socket)));
    return pool;
  }

  /** BACKENDS as the program gets it. */
  get env(): string {
    return this.backends.map((b) => b.address).join(",");
  }

  /** Ties the pool to a check: its transcript, its cleanup. Waits until every backend listens again. */
  async attach(ctx: CheckContext): Promise<this> {
    await this.reopening;
    this.ctx = ctx;
    this.quiet = false;
    this.checkStart = this.connections.length;
    ctx.scope.track(() => this.detach());
    return this;
  }

  /** How many connections have been accepted so far: a mark to look for newer ones. */
  mark(): number {
    return this.connections.length;
  }

  /** The first connection accepted after `mark`, waiting up to `ms`. */
  async acceptedAfter(mark: number, ms: number): Promise<BackendConnection | undefined> {
    await this.changes.until(() => this.connections.length > mark, ms);
    return this.connections[mark];
  }

  /** The connection of this check whose first line named `label`, if one has come. */
  tagged(label: string): BackendConnection | undefined {
    return this.connections.slice(this.checkStart).find((c) => c.tag === label);
  }

  /** Backend by position in BACKENDS, wrapping around (negative too). */
  at(index: number): Backend {
    const n = this.backends.length;
    return this.backends[((index % n) + n) % n]!;
  }

  indexOf(backend: Backend): number {
    return this.backends.indexOf(backend);
  }

  /** Stops these backends listening (the check's end makes them listen again). */
  async refuse(backends: Backend[]): Promise<void> {
    for (const backend of backends) {
      await backend.refuse();
      this.log("grader", `${backend.name} stopped listening: connections to ${backend.address} are refused`);
    }
  }

  async reopen(backends: Backend[]): Promise<void> {
    for (const backend of backends) {
      await backend.reopen();
      this.log("grader", `${backend.name} listens again on ${backend.address}`);
    }
  }

  step(description: string): void {
    this.ctx?.scope.transcript.step(description);
  }

  log(source: string, text: string): void {
    this.ctx?.scope.transcript.add(source, text);
  }

  close(): void {
    for (const connection of this.connections) connection.socket.destroy();
    for (const backend of this.backends) backend.close();
  }

  private accept(backend: Backend, socket: net.Socket): void {
    const connection = new BackendConnection(this, backend, socket, this.connections.length);
    this.connections.push(connection);
    if (!this.quiet) this.log(backend.name, `accepted a connection from ${socket.remoteAddress}:${socket.remotePort}`);
    this.changes.notify();
  }

  private detach(): void {
    this.ctx = undefined;
    for (const connection of this.connections.slice(this.checkStart)) connection.forget();
    for (const connection of this.connections) {
      if (connection.closed) continue;
      connection.socket.resume();
      connection.socket.destroy();
    }
    this.reopening = Promise.all(this.backends.filter((b) => !b.listening).map((b) => b.reopen())).then(() => undefined);
  }
}
