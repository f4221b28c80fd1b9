import net from "node:net";
import type { CheckContext } from "../../harness/index.ts";

/**
 * A server that accepts the TCP connection, reads the ClientHello and never
 * answers it: the handshake never finishes, as with an overloaded or broken
 * server, or a port that is not TLS at all. Only a client with a timeout
 * gets out.
 */
export class StalledServer {
  acceptedAt: number | undefined;
  closedAt: number | undefined;
  /** Bytes the client sent: a TLS ClientHello starts with 0x16 (a handshake record). */
  received = Buffer.alloc(0);
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly ctx: CheckContext;
  private readonly label: string;

  private constructor(ctx: CheckContext, label: string) {
    this.ctx = ctx;
    this.label = label;
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on("error", () => {});
  }

  static async open(ctx: CheckContext, label: string): Promise<StalledServer> {
    const server = new StalledServer(ctx, label);
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.server.listen(0, "127.0.0.1", () => resolve());
    });
    ctx.scope.track(() => server.close());
    ctx.scope.transcript.add(label, `listening on 127.0.0.1:${server.port}; it accepts connections and never answers the ClientHello`);
    return server;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    this.acceptedAt ??= Date.now();
    this.ctx.scope.transcript.add(this.label, `accepted a connection from ${socket.remoteAddress}:${socket.remotePort}`);
    socket.on("error", () => {});
    socket.once("data", (chunk: Buffer) => {
      const what = chunk[0] === 0x16 ? "a TLS ClientHello" : "bytes that are not a TLS handshake";
      this.ctx.scope.transcript.add(this.label, `got ${chunk.length} bytes (${what}), and answers nothing`);
    });
    socket.on("data", (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
    });
    socket.on("close", () => {
      this.sockets.delete(socket);
      this.closedAt ??= Date.now();
      this.ctx.scope.transcript.add(this.label, `your program closed the connection ${(this.closedAt - (this.acceptedAt ?? this.closedAt)).toLocaleString("en-US")} ms after it was accepted`);
    });
  }
}
