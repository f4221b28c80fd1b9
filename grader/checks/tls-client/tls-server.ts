import net from "node:net";
import tls from "node:tls";
import { quoteBytes, type CheckContext } from "../../harness/index.ts";
import type { Credential } from "./certificates.ts";

/** How long after the first piece of the reply the second one goes out, in its own TLS record. */
export const SECOND_PIECE_AFTER_MS = 20;

/** What the server saw of one connection from the learner's program. */
export interface Connection {
  acceptedAt: number;
  /** The SNI the client sent: null for none, undefined while the handshake has not got that far. */
  sni: string | null | undefined;
  /** Set when the handshake completed on the server's side. */
  handshake?: { protocol: string; cipher: tls.CipherNameAndProtocol };
  /** Why the handshake failed on the server's side, if it did. */
  failure?: { code: string; text: string };
  /** Every byte of application data, as received. */
  received: Buffer;
  /** The reply to the client's first line, once it went out (both pieces). */
  reply?: string;
  closedAt?: number;
}

export interface TlsServerOptions {
  /** The source name in the transcript: "grader's TLS server". */
  label: string;
  credential: Credential;
  /** Certificates sent after the server's own (a CA that the client may or may not trust). */
  chain?: Credential[];
  /** What it presents, for the transcript: "a certificate for shop.lab-7.test, signed by the grader's CA". */
  presents: string;
  maxVersion: "TLSv1.2" | "TLSv1.3";
  /** The line it answers "hello\n" with, without "\n": something a client cannot guess. */
  reply: string;
}

/**
 * The grader's TLS server for tls-client: node:tls on 127.0.0.1, TLS 1.2 up
 * to `maxVersion`. It writes down the SNI, the protocol and cipher, whether
 * the handshake completed, and every byte of application data; it answers
 * a first line "hello" with `reply`, in two TLS records, and keeps the
 * connection open (the client closes it). Everything goes into the transcript.
 */
export class GraderTlsServer {
  readonly connections: Connection[] = [];
  readonly options: TlsServerOptions;
  private readonly server: tls.Server;
  private readonly ctx: CheckContext;
  private readonly sockets = new Set<net.Socket>();
  private readonly byRaw = new WeakMap<net.Socket, Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closedWaiters: (() => void)[] = [];

  private constructor(ctx: CheckContext, options: TlsServerOptions) {
    this.ctx = ctx;
    this.options = options;
    const cert = [options.credential, ...(options.chain ?? [])].map((c) => c.certPem).join("");
    const record = (socket: unknown, servername: string) => this.sniSeen(socket, servername);
    this.server = tls.createServer({
      key: options.credential.keyPem,
      cert,
      minVersion: "TLSv1.2",
      maxVersion: options.maxVersion,
      // Called with the SNI while the ClientHello is read (not at all without SNI); null keeps the one certificate.
      SNICallback(servername, done) {
        record(this, servername);
        done(null, undefined);
      },
    });
    this.server.on("connection", (raw: net.Socket) => this.accept(raw));
    // Key material is logged once the server has answered the ClientHello: by then an SNI would have been seen.
    this.server.on("keylog", (_line, socket) => this.helloAnswered(socket));
    this.server.on("secureConnection", (socket) => this.secured(socket));
    this.server.on("tlsClientError", (error, socket) => this.failed(error as NodeJS.ErrnoException, socket));
    this.server.on("error", () => {});
  }

  static async open(ctx: CheckContext, options: TlsServerOptions): Promise<GraderTlsServer> {
    const server = new GraderTlsServer(ctx, options);
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.server.listen(0, "127.0.0.1", () => resolve());
    });
    ctx.scope.track(() => server.close());
    const versions = options.maxVersion === "TLSv1.2" ? "TLS 1.2 only" : "TLS 1.2 to 1.3";
    server.log(`listening on 127.0.0.1:${server.port} (${versions}), presenting ${options.presents}`);
    return server;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Every byte of application data from every connection. */
  get received(): Buffer {
    return Buffer.concat(this.connections.map((c) => c.received));
  }

  /** The first connection, the one a run is judged by. */
  get first(): Connection | undefined {
    return this.connections[0];
  }

  /**
   * Waits until every connection has closed, or `limitMs`: once the program
   * has exited, its connection's last events are a few milliseconds away.
   */
  async settle(limitMs = 300): Promise<void> {
    if (this.connections.every((c) => c.closedAt !== undefined)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.closedWaiters.push(() => {
        if (this.connections.every((c) => c.closedAt !== undefined)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }

  private log(text: string): void {
    this.ctx.scope.transcript.add(this.options.label, text);
  }

  private accept(raw: net.Socket): void {
    const connection: Connection = { acceptedAt: Date.now(), sni: undefined, received: Buffer.alloc(0) };
    this.connections.push(connection);
    this.sockets.add(raw);
    this.log(`accepted a connection from ${raw.remoteAddress}:${raw.remotePort}`);
    raw.on("error", () => {});
    // A moment later: Node reports a failed handshake ('tlsClientError') after the raw socket's 'close'.
    raw.on("close", () => setImmediate(() => this.closed(raw, connection)));
    this.byRaw.set(raw, connection);
  }

  private closed(raw: net.Socket, connection: Connection): void {
    connection.closedAt = Date.now();
    this.sockets.delete(raw);
    const data = connection.received.length === 0 ? "it got no application data" : `it got ${connection.received.length} bytes of application data in all`;
    this.log(`the connection closed after ${(connection.closedAt - connection.acceptedAt).toLocaleString("en-US")} ms; ${data}`);
    for (const wake of this.closedWaiters) wake();
  }

  private sniSeen(socket: unknown, servername: string): void {
    const connection = socket instanceof tls.TLSSocket ? this.connectionOf(socket) : this.connections.find((c) => c.sni === undefined);
    if (!connection) return;
    connection.sni = servername;
    this.log(`got a ClientHello with SNI ${servername}`);
  }

  private helloAnswered(socket: tls.TLSSocket): void {
    const connection = this.connectionOf(socket);
    if (connection.sni !== undefined) return;
    connection.sni = null;
    this.log("got a ClientHello with no SNI");
  }

  /**
   * The connection a TLS socket belongs to: the raw socket it wraps (Node
   * keeps it as _parent), or else the oldest one whose handshake is still open.
   */
  private connectionOf(socket: tls.TLSSocket): Connection {
    const parent = (socket as tls.TLSSocket & { _parent?: net.Socket })._parent;
    const found = (parent && this.byRaw.get(parent)) ?? this.connections.find((c) => !c.handshake && !c.failure);
    if (found) return found;
    const connection: Connection = { acceptedAt: Date.now(), sni: undefined, received: Buffer.alloc(0) };
    this.connections.push(connection);
    return connection;
  }

  private secured(socket: tls.TLSSocket): void {
    const connection = this.connectionOf(socket);
    const servername = (socket as tls.TLSSocket & { servername?: string | false | null }).servername;
    connection.sni ??= typeof servername === "string" && servername !== "" ? servername : null;
    const protocol = socket.getProtocol() ?? "unknown";
    const cipher = socket.getCipher();
    connection.handshake = { protocol, cipher };
    const names = cipher.standardName && cipher.standardName !== cipher.name ? `${cipher.name} (${cipher.standardName})` : cipher.name;
    this.log(`handshake done: ${protocol}, ${names}`);
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => this.receive(socket, connection, chunk));
  }

  private failed(error: NodeJS.ErrnoException, socket: tls.TLSSocket): void {
    const connection = this.connectionOf(socket);
    const servername = (socket as tls.TLSSocket & { servername?: string | false | null }).servername;
    if (typeof servername === "string" && servername !== "") connection.sni ??= servername;
    const code = error.code ?? "unknown";
    connection.failure = { code, text: describeHandshakeFailure(code, error.message, this.options.maxVersion) };
    this.log(`the handshake did not finish: ${connection.failure.text}`);
  }

  private receive(socket: tls.TLSSocket, connection: Connection, chunk: Buffer): void {
    const before = connection.received;
    connection.received = Buffer.concat([before, chunk]);
    this.log(`got ${quoteBytes(chunk)}`);
    if (connection.reply !== undefined || before.includes(0x0a) || !chunk.includes(0x0a)) return;
    const line = connection.received.subarray(0, connection.received.indexOf(0x0a)).toString("utf8").replace(/\r$/, "");
    if (line !== "hello") {
      this.log(`that line is not "hello": it does not answer`);
      return;
    }
    // Two writes, apart in time: two TLS records, so a client must read up to "\n", not one chunk.
    const reply = `${this.options.reply}\n`;
    const cut = reply.indexOf(",") > 0 ? reply.indexOf(",") : Math.floor(reply.length / 2);
    socket.write(reply.slice(0, cut));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      socket.write(reply.slice(cut));
      connection.reply = reply;
    }, SECOND_PIECE_AFTER_MS);
    this.timers.add(timer);
    this.log(`replied ${quoteBytes(reply)}, in two TLS records (${quoteBytes(reply.slice(0, cut))}, then the rest ${SECOND_PIECE_AFTER_MS} ms later)`);
  }
}

/** A server-side handshake error, in words: mostly the alert the client sent, or what it did instead. */
export function describeHandshakeFailure(code: string, message: string, maxVersion: string): string {
  const alert = /alert ([a-z ]+?)(?::|$)/.exec(message.split("\n")[0] ?? "")?.[1]?.replace(/^(?:sslv3|tlsv1) /, "");
  if (alert) return `your program ended the handshake with the TLS alert "${alert}"`;
  if (code === "ECONNRESET") return "your program closed the connection before the end of the handshake";
  if (code === "ERR_SSL_UNSUPPORTED_PROTOCOL" || /unsupported protocol|version too low/.test(message)) {
    return `your program offered no TLS version this server speaks (${maxVersion === "TLSv1.2" ? "it speaks TLS 1.2 only" : "TLS 1.2 or 1.3"})`;
  }
  if (/WRONG_VERSION_NUMBER|HTTP_REQUEST|UNKNOWN_PROTOCOL|RECORD_LAYER|PACKET_LENGTH/i.test(code)) {
    return "what your program sent is not a TLS handshake (plain text?)";
  }
  return `${code}: ${message.split("\n")[0]}`;
}
