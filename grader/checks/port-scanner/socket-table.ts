import { existsSync } from "node:fs";
import { readProcSockets, type ProcSocket, type ReadOptions } from "../../harness/index.ts";

export { TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_LISTEN, TCP_SYN_SENT } from "../../harness/index.ts";

/**
 * The kernel's table of TCP sockets, every process's, with both ends of
 * each: what tells the port-scanner checks who listens on a port, how full a
 * listener's accept queue is, and how many connection attempts the scanner
 * has in flight. Empty where /proc is missing.
 */
export const canReadSocketTable = existsSync("/proc/net/tcp");

export type TcpSocket = ProcSocket;

/** IPv4 clients of dual-stack sockets show as ::ffff:a.b.c.d; here they are plain IPv4. */
export function readTcpSockets(options: ReadOptions = {}): TcpSocket[] {
  const plain = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
  return readProcSockets("tcp", options).map((s) => ({ ...s, localAddress: plain(s.localAddress), remoteAddress: plain(s.remoteAddress) }));
}

/** Whether a listener bound to `address` takes connections made to `host` (an IPv4 address). */
export function listensFor(address: string, host: string): boolean {
  return address === host || address === "0.0.0.0" || address === "::";
}
