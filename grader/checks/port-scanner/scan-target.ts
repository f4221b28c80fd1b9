import net from "node:net";
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CheckContext } from "../../harness/index.ts";
import { SlowPorts } from "./slow-ports.ts";
import { listensFor, readTcpSockets, TCP_LISTEN } from "./socket-table.ts";
import { formatPorts } from "./port-list.ts";

/** An open port either stays silent once it accepts, or closes each connection at once. */
export type OpenKind = "silent" | "closes";

export interface TargetPlan {
  /** How many consecutive ports the target spans. */
  size: number;
  /** How many of them accept connections, and how many never answer; the rest refuse. */
  open: number;
  slow: number;
  /** Every open port stays silent (the default mixes both kinds). */
  silentOnly?: boolean;
  /** Offsets that must be open (counted in `open`), or slow (counted in `slow`). */
  openOffsets?: number[];
  slowOffsets?: number[];
}

/** One connection an open port accepted, and when the scanner closed its end. */
export interface Accepted {
  port: number;
  acceptedAt: number;
  closedAt?: number;
}

const LABEL = "grader";
const ATTEMPTS = 8;

/**
 * The ports a port-scanner check scans: a seeded range of free high ports
 * on a loopback address of its own, where some ports accept, some never
 * answer, and all others refuse. Every listener and connection is closed by
 * close(), which the check calls in a finally block.
 *
 * The address (127.x.y.z, unseeded) keeps concurrent grades, which use the
 * same seeded ports, from seeing each other's listeners; it plays no part
 * in the grades. Ports are below the ephemeral range, where the kernel never
 * puts the local end of an outgoing connection.
 */
export class ScanTarget {
  readonly host: string;
  readonly base: number;
  readonly size: number;
  readonly open = new Map<number, OpenKind>();
  readonly slow = new Set<number>();
  readonly accepted: Accepted[] = [];
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private slowPorts: SlowPorts | undefined;
  private onChange: (() => void) | undefined;

  private constructor(host: string, base: number, size: number) {
    this.host = host;
    this.base = base;
    this.size = size;
  }

  static async open(ctx: CheckContext, plan: TargetPlan): Promise<ScanTarget> {
    const host = await privateLoopbackAddress();
    // The layout is drawn once; only the base moves when its ports are taken.
    const forcedOpen = plan.openOffsets ?? [];
    const forcedSlow = plan.slowOffsets ?? [];
    const free = ctx.random.shuffle(Array.from({ length: plan.size }, (_, k) => k).filter((k) => !forcedOpen.includes(k) && !forcedSlow.includes(k)));
    const slowOffsets = [...forcedSlow, ...free.splice(0, plan.slow - forcedSlow.length)];
    const openOffsets = [...forcedOpen, ...free.splice(0, plan.open - forcedOpen.length)];
    const kinds = openOffsets.map((_, k): OpenKind => (plan.silentOnly || k % 2 === 0 ? "silent" : "closes"));
    const [low, high] = portWindow(plan.size);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const base = ctx.random.int(low, high);
      const target = new ScanTarget(host, base, plan.size);
      if (target.takenPorts().length > 0) continue;
      if (await target.listen(openOffsets.map((k, n) => [base + k, kinds[n]!]), slowOffsets.map((k) => base + k))) {
        ctx.scope.transcript.add(LABEL, target.describe());
        return target;
      }
      await target.close();
    }
    throw new Error(`could not find ${plan.size} free ports on ${host} for the scan after ${ATTEMPTS} tries`);
  }

  /** Every port of the range, in order. */
  get ports(): number[] {
    return Array.from({ length: this.size }, (_, k) => this.base + k);
  }

  get last(): number {
    return this.base + this.size - 1;
  }

  /** The grader's own connections to the slow ports, "<local port>><remote port>", to tell them from the scanner's. */
  get ownConnections(): Set<string> {
    return this.slowPorts?.fillers ?? new Set();
  }

  /** Ports of the range where a program other than the grader listens now: their state is not the grader's to say. */
  takenPorts(): number[] {
    return readTcpSockets()
      .filter((s) => s.state === TCP_LISTEN && listensFor(s.localAddress, this.host) && s.localPort >= this.base && s.localPort <= this.last)
      .map((s) => s.localPort)
      .filter((port) => !this.open.has(port) && !this.slow.has(port));
  }

  /** Accepted connections whose scanner end has not closed (yet). */
  stillOpen(): Accepted[] {
    return this.accepted.filter((a) => a.closedAt === undefined);
  }

  /** Waits until the scanner's end of every accepted connection has closed, at most `limitMs`. */
  async settle(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.stillOpen().length > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.onChange = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onChange = undefined;
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await this.slowPorts?.close();
  }

  /** "on 127.4.5.6, of ports 21000-21029: 21003 and 21017 accept ..." for the transcript. */
  describe(): string {
    const silent = [...this.open].filter(([, kind]) => kind === "silent").map(([port]) => port);
    const closes = [...this.open].filter(([, kind]) => kind === "closes").map(([port]) => port);
    const parts = [`on ${this.host}, ports ${this.base}-${this.last}:`];
    if (silent.length > 0) parts.push(`${formatPorts(silent)} accept${silent.length === 1 ? "s" : ""} and stay${silent.length === 1 ? "s" : ""} silent;`);
    if (closes.length > 0) parts.push(`${formatPorts(closes)} accept${closes.length === 1 ? "s" : ""} and close${closes.length === 1 ? "s" : ""} at once;`);
    if (this.slow.size > 0) parts.push(`${formatPorts([...this.slow])} never answer${this.slow.size === 1 ? "s" : ""} (SYNs dropped, as behind a firewall);`);
    parts.push("every other port refuses");
    return parts.join(" ");
  }

  /** Opens the listeners; false when a port is taken, so the caller tries elsewhere. */
  private async listen(open: [number, OpenKind][], slow: number[]): Promise<boolean> {
    for (const [port, kind] of open) this.open.set(port, kind);
    for (const port of slow) this.slow.add(port);
    const listened = await Promise.all(open.map(([port, kind]) => this.listenOne(port, kind)));
    if (listened.includes(false)) return false;
    if (slow.length === 0) return true;
    const result = await SlowPorts.open(this.host, slow);
    if (!result.ok) return false;
    this.slowPorts = result.slow;
    return true;
  }

  private listenOne(port: number, kind: OpenKind): Promise<boolean> {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      const record: Accepted = { port, acceptedAt: Date.now() };
      this.accepted.push(record);
      this.sockets.add(socket);
      // The scanner closing its end shows as 'end' (FIN) or an error (RST).
      const closed = () => {
        record.closedAt ??= Date.now();
        socket.destroy();
        this.sockets.delete(socket);
        this.onChange?.();
      };
      socket.on("end", closed);
      socket.on("error", closed);
      socket.on("close", closed);
      socket.resume();
      // A half-close: the grader's FIN goes out, and the scanner's own close can still be seen.
      if (kind === "closes") socket.end();
    });
    this.servers.push(server);
    return new Promise((resolve) => {
      server.once("error", () => resolve(false));
      server.listen({ port, host: this.host }, () => resolve(true));
    });
  }
}

/**
 * A window of ports for the range's base: from 10000 up to the ephemeral
 * range (Linux: /proc/sys/net/ipv4/ip_local_port_range, usually 32768 on).
 */
function portWindow(size: number): [number, number] {
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: 32768 is below the BSD and Windows ephemeral ranges too.
  }
  const high = ephemeralLow - size - 1;
  return high > 10000 ? [10000, high] : [1024, 65535 - size];
}

let chosenAddress: Promise<string> | undefined;

/**
 * 127.x.y.z for this process, when the system routes all of 127.0.0.0/8 to
 * loopback (Linux, Windows); 127.0.0.1 where it does not (macOS).
 */
function privateLoopbackAddress(): Promise<string> {
  chosenAddress ??= (async () => {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const server = net.createServer();
    const usable = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen({ port: 0, host: address }, () => resolve(true));
    });
    await new Promise((resolve) => server.close(resolve));
    return usable ? address : "127.0.0.1";
  })();
  return chosenAddress;
}
