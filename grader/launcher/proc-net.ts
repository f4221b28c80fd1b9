import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** One socket as Linux lists it in /proc/net/{tcp,tcp6,udp,udp6}. */
export interface ProcSocket {
  protocol: "tcp" | "udp";
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number: 0x0A is LISTEN for TCP, 0x07 is an unconnected UDP socket. */
  state: number;
  rxQueue: number;
  inode: number;
}

/** TCP states as /proc numbers them. */
export const TCP_ESTABLISHED = 0x01;
export const TCP_SYN_SENT = 0x02;
export const TCP_CLOSE_WAIT = 0x08;
export const TCP_LISTEN = 0x0a;

/** What a caller may ask of a table read: fewer files, and sockets picked before anything is decoded. */
export interface ReadOptions {
  /** Read the IPv4 table (default true). */
  ipv4?: boolean;
  /** Read the IPv6 table (default true). */
  ipv6?: boolean;
  /**
   * Picks sockets by ports and state before their addresses are decoded:
   * a busy table (a port scan holds thousands of sockets) is read many times
   * a second, and decoding every address would cost more than the reading.
   */
  where?: (s: { localPort: number; remotePort: number; state: number }) => boolean;
}

/**
 * Reads the kernel's socket tables. Returns [] where /proc is missing (not
 * Linux), so callers fall back to probing with real sockets.
 */
export function readProcSockets(protocol: "tcp" | "udp", options: ReadOptions = {}): ProcSocket[] {
  const out: ProcSocket[] = [];
  const files = [...(options.ipv4 === false ? [] : [`/proc/net/${protocol}`]), ...(options.ipv6 === false ? [] : [`/proc/net/${protocol}6`])];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = f[1] ?? "";
      const remote = f[2] ?? "";
      const localPort = parseInt(local.slice(local.indexOf(":") + 1), 16);
      const remotePort = parseInt(remote.slice(remote.indexOf(":") + 1), 16);
      const state = parseInt(f[3] ?? "0", 16);
      if (options.where && !options.where({ localPort, remotePort, state })) continue;
      const [, rxHex = "0"] = (f[4] ?? "").split(":");
      out.push({
        protocol,
        localAddress: decodeProcAddress(local.slice(0, local.indexOf(":"))),
        localPort,
        remoteAddress: decodeProcAddress(remote.slice(0, remote.indexOf(":"))),
        remotePort,
        state,
        rxQueue: parseInt(rxHex, 16),
        inode: Number(f[9]),
      });
    }
  }
  return out;
}

/** /proc prints addresses as 32-bit words in host (little-endian) order. */
function decodeProcAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join(".");
  // An IPv4 client of a dual-stack socket: RFC 5952 writes it as ::ffff:127.0.0.1.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join(".")}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // The URL parser writes IPv6 in its short form (RFC 5952): "::1", not "0:0:0:0:0:0:0:1".
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}

/** Whether a socket bound to this address receives what is sent to 127.0.0.1. */
export function reachableFromLoopback(address: string): boolean {
  return (
    address === "0.0.0.0" ||
    address === "127.0.0.1" ||
    address === "::" ||
    address === "::ffff:127.0.0.1"
  );
}

/** Socket inodes a process holds open, from /proc/<pid>/fd. */
export function socketInodesOf(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(Number(m[1]));
    } catch {
      // The fd closed while we looked: nothing to report.
    }
  }
  return inodes;
}

/**
 * Whether a socket bound to [::] takes IPv6 only (IPV6_V6ONLY), and so never
 * sees what is sent to 127.0.0.1. /proc does not say; `ss` asks the kernel's
 * socket diagnostics. Without `ss`, assume the Linux default: dual-stack.
 */
export function isIpv6Only(socket: ProcSocket): boolean {
  if (socket.localAddress !== "::") return false;
  const result = spawnSync("ss", [socket.protocol === "udp" ? "-ulnHe" : "-tlnHe", `sport = :${socket.localPort}`], { encoding: "utf8", timeout: 2000 });
  if (result.status !== 0) return false;
  return result.stdout.split("\n").some((line) => line.includes(`ino:${socket.inode} `) && line.includes("v6only:1"));
}
