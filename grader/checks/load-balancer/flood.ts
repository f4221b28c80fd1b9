import type net from "node:net";

const CHUNK = Buffer.alloc(64 * 1024, "flood of bytes nobody reads\n");

/**
 * Writes up to `total` bytes into a socket as fast as the other end takes
 * them, honouring backpressure itself, and counts what left: the bytes the
 * kernel took. When the reader behind a proxy stops reading, a proxy with
 * backpressure soon stops taking more; one without takes everything.
 */
export class Flood {
  /** Bytes handed to the kernel so far. */
  taken = 0;
  readonly total: number;
  private queued = 0;
  private lastProgressAt = Date.now();
  private readonly socket: net.Socket;

  constructor(socket: net.Socket, total: number) {
    this.socket = socket;
    this.total = total;
    this.pump();
  }

  get finished(): boolean {
    return this.taken >= this.total;
  }

  /**
   * Resolves once the flood is done or has made no progress for `stallMs`
   * (the reader's side is full), or after `limitMs` in any case.
   */
  async settle(stallMs: number, limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!this.finished && !this.socket.destroyed && Date.now() < deadline && Date.now() - this.lastProgressAt < stallMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private pump(): void {
    while (this.queued < this.total && !this.socket.destroyed) {
      this.queued += CHUNK.length;
      const more = this.socket.write(CHUNK, (error) => {
        if (error) return;
        this.taken += CHUNK.length;
        this.lastProgressAt = Date.now();
      });
      if (!more) {
        this.socket.once("drain", () => this.pump());
        return;
      }
    }
  }
}

/** "7.9 MiB" */
export function mebibytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
