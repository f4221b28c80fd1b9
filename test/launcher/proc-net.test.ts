import dgram from "node:dgram";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { TCP_LISTEN, reachableFromLoopback, readProcSockets, socketInodesOf } from "../../grader/launcher/proc-net.ts";

const hasProc = existsSync("/proc/net/tcp");
const hasIpv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((a) => a?.address === "::1");

async function listening(host: string): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return server;
}

async function bound(type: "udp4" | "udp6", host: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(type);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, host, () => resolve());
  });
  return socket;
}

const closeServer = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const closeSocket = (socket: dgram.Socket) => new Promise<void>((resolve) => socket.close(() => resolve()));

describe("readProcSockets", () => {
  it.skipIf(!hasProc)("finds a TCP listener on 127.0.0.1 in state LISTEN", async () => {
    const server = await listening("127.0.0.1");
    try {
      const port = (server.address() as net.AddressInfo).port;
      const found = readProcSockets("tcp").filter((s) => s.localPort === port);
      expect(found).toEqual([expect.objectContaining({ protocol: "tcp", localAddress: "127.0.0.1", localPort: port, state: TCP_LISTEN })]);
      expect(found[0]!.inode).toBeGreaterThan(0);
    } finally {
      await closeServer(server);
    }
  });

  it.skipIf(!hasProc)("finds a UDP socket bound to 127.0.0.1, unconnected (state 7)", async () => {
    const socket = await bound("udp4", "127.0.0.1");
    try {
      const found = readProcSockets("udp").filter((s) => s.localPort === socket.address().port);
      expect(found).toEqual([expect.objectContaining({ protocol: "udp", localAddress: "127.0.0.1", state: 7, rxQueue: 0 })]);
    } finally {
      await closeSocket(socket);
    }
  });

  it.skipIf(!hasProc || !hasIpv6Loopback)("finds a UDP socket bound to ::1, written out in full", async () => {
    const socket = await bound("udp6", "::1");
    try {
      const found = readProcSockets("udp").filter((s) => s.localPort === socket.address().port);
      expect(found).toEqual([expect.objectContaining({ protocol: "udp", localAddress: "::1" })]);
      expect(reachableFromLoopback(found[0]!.localAddress)).toBe(false);
    } finally {
      await closeSocket(socket);
    }
  });

  it.skipIf(!hasProc || !hasIpv6Loopback)("decodes a dual-stack listener on :: as reachable from 127.0.0.1", async () => {
    const server = await listening("::");
    try {
      const port = (server.address() as net.AddressInfo).port;
      const found = readProcSockets("tcp").filter((s) => s.localPort === port && s.state === TCP_LISTEN);
      expect(found.map((s) => s.localAddress)).toEqual(["::"]);
      expect(reachableFromLoopback(found[0]!.localAddress)).toBe(true);
    } finally {
      await closeServer(server);
    }
  });

  it("returns [] rather than failing where /proc is missing", () => {
    // On Linux this simply reads the tables; elsewhere it must not throw.
    expect(Array.isArray(readProcSockets("tcp"))).toBe(true);
  });
});

describe("reachableFromLoopback", () => {
  it.each([
    ["0.0.0.0", true],
    ["127.0.0.1", true],
    ["::", true],
    ["::ffff:127.0.0.1", true],
    ["127.0.0.2", false],
    ["::1", false],
    ["192.168.1.10", false],
  ])("%s → %s", (address, reachable) => {
    expect(reachableFromLoopback(address)).toBe(reachable);
  });
});

describe("socketInodesOf", () => {
  it.skipIf(!hasProc)("holds the inode of a socket this process opened", async () => {
    const server = await listening("127.0.0.1");
    try {
      const port = (server.address() as net.AddressInfo).port;
      const inode = readProcSockets("tcp").find((s) => s.localPort === port)!.inode;
      expect(socketInodesOf(process.pid).has(inode)).toBe(true);
    } finally {
      await closeServer(server);
    }
  });

  it("is empty for a process that does not exist", () => {
    expect(socketInodesOf(2 ** 30).size).toBe(0);
  });
});
