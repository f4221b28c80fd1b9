import dgram from "node:dgram";
import net from "node:net";
import { existsSync } from "node:fs";
import type { ExitInfo, RunningProgram } from "./start-program.ts";
import { TCP_LISTEN, isIpv6Only, reachableFromLoopback, readProcSockets, socketInodesOf, type ProcSocket } from "./proc-net.ts";
import { processTree } from "./process-tree.ts";

export type Readiness =
  | { ready: true; elapsedMs: number }
  | { ready: false; reason: "exited"; exit: ExitInfo; elapsedMs: number }
  | { ready: false; reason: "timeout"; elapsedMs: number; boundElsewhere: number[]; ipv6OnlyHere: string | undefined };

const POLL_MS = 5;

/**
 * Polls until the program's port is ready: for TCP a connection is accepted,
 * for UDP the port shows up as bound. Gives up at once when the program
 * exits, and never waits a fixed delay.
 */
export async function waitUntilReady(
  program: RunningProgram,
  options: { transport: "tcp" | "udp"; port: number; timeoutMs: number },
): Promise<Readiness> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const isReady = options.transport === "tcp" ? () => tcpAccepts(options.port) : () => udpBound(options.port);
  for (;;) {
    if (program.exit) return { ready: false, reason: "exited", exit: program.exit, elapsedMs: Date.now() - started };
    if (await isReady()) return { ready: true, elapsedMs: Date.now() - started };
    // A program that took the port for IPv6 only will never be reachable: say so now, not at the deadline.
    const settled = Date.now() - started > 300 && existsSync("/proc/net/tcp6");
    if (Date.now() >= deadline || (settled && boundIpv6OnlyHere(program.pid, options.transport, options.port))) {
      const bound = socketsBoundBy(program.pid, options.transport);
      const here = bound.find((s) => s.localPort === options.port && (!reachableFromLoopback(s.localAddress) || isIpv6Only(s)));
      return {
        ready: false,
        reason: "timeout",
        elapsedMs: Date.now() - started,
        boundElsewhere: [...new Set(bound.map((s) => s.localPort))].filter((p) => p !== options.port).sort((a, b) => a - b),
        ipv6OnlyHere: here ? `[${here.localAddress}]:${options.port}` : undefined,
      };
    }
    await Promise.race([program.exited, sleep(POLL_MS)]);
  }
}

/** Connects and closes politely (FIN, not RST), so even a fragile server survives the probe. */
function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 250);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.resume();
      socket.end();
      // A server that never closes must not keep this socket forever.
      setTimeout(() => socket.destroy(), 2000).unref();
      resolve(true);
    });
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function udpBound(port: number): Promise<boolean> {
  if (existsSync("/proc/net/udp")) {
    return readProcSockets("udp").some((s) => s.localPort === port && reachableFromLoopback(s.localAddress) && !isIpv6Only(s));
  }
  return udpAnswersWithoutRefusal(port);
}

/**
 * Without /proc (macOS), a connected UDP socket learns of a closed port
 * through ICMP: an empty datagram that draws no ECONNREFUSED means bound.
 */
function udpAnswersWithoutRefusal(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    const finish = (bound: boolean) => {
      socket.close();
      resolve(bound);
    };
    socket.on("error", () => finish(false));
    socket.connect(port, "127.0.0.1", () => {
      socket.send(Buffer.alloc(0));
      setTimeout(() => finish(true), 50);
    });
  });
}

function boundIpv6OnlyHere(pid: number, transport: "tcp" | "udp", port: number): boolean {
  const mine = socketsBoundBy(pid, transport).filter((s) => s.localPort === port);
  return mine.length > 0 && mine.every((s) => !reachableFromLoopback(s.localAddress) || isIpv6Only(s));
}

/** Ports the program (or a child of it) listens on: to say "you listen on 12345, not on PORT". */
export function portsBoundBy(pid: number, transport: "tcp" | "udp"): number[] {
  return [...new Set(socketsBoundBy(pid, transport).map((s) => s.localPort))].sort((a, b) => a - b);
}

/** The listening (TCP) or bound (UDP) sockets the program and its children hold. */
function socketsBoundBy(pid: number, transport: "tcp" | "udp"): ProcSocket[] {
  const inodes = new Set<number>();
  for (const p of processTree(pid)) for (const inode of socketInodesOf(p)) inodes.add(inode);
  return readProcSockets(transport).filter((s) => inodes.has(s.inode) && (transport === "udp" || s.state === TCP_LISTEN));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
