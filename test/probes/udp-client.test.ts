import { spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { existsSync } from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { failureOf } from "../support/failure-of.ts";
import { ProbeScope } from "../../grader/probes/probe-scope.ts";
import { hintFor } from "../../grader/probes/socket-hints.ts";
import { UdpClient } from "../../grader/probes/udp-client.ts";

const hasProc = existsSync("/proc/net/udp");
const hasPython = spawnSync("python3", ["--version"]).status === 0;
const hasIpv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((a) => a?.address === "::1");

/**
 * Runs `body` against a UDP server on 127.0.0.1 that answers each datagram as
 * `answer` says (undefined: read it and say nothing), with a fresh ProbeScope.
 */
async function withServer(answer: (data: Buffer) => (string | Buffer)[] | undefined, body: (port: number, scope: ProbeScope) => Promise<void>, readTimeoutMs = 1000): Promise<void> {
  const server = dgram.createSocket("udp4");
  server.on("message", (data, rinfo) => {
    for (const reply of answer(data) ?? []) server.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", () => resolve()));
  const scope = new ProbeScope(readTimeoutMs);
  try {
    await body(server.address().port, scope);
  } finally {
    scope.closeAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}


const upperCase = (data: Buffer) => [data.toString().toUpperCase()];
const ignore = () => undefined;

describe("UdpClient", () => {
  it("sends a datagram, receives the reply, and writes both into the transcript", async () => {
    await withServer(upperCase, async (port, scope) => {
      const client = await UdpClient.open(scope);
      client.send("5 + 6\n", port);
      const reply = await client.receive();
      expect(reply).toEqual({ data: Buffer.from("5 + 6\n"), from: { address: "127.0.0.1", port } });
      expect(scope.transcript.lines).toEqual([`[client-1] sent  "5 + 6\\n" to 127.0.0.1:${port} from port ${client.port}`, `[client-1] got   "5 + 6\\n" from 127.0.0.1:${port}`]);
    });
  });

  it("accepts the expected reply and fails another one with the first difference", async () => {
    await withServer(
      (data) => [data.toString() === "5 + 6" ? "11" : "12"],
      async (port, scope) => {
        const client = await UdpClient.open(scope);
        client.send("5 + 6", port);
        expect((await client.expectReply("11")).data.toString()).toBe("11");
        client.send("5 + 7", port);
        const failure = await failureOf(client.expectReply("11", { hint: "add them" }));
        expect(failure.message).toBe(`[client-1] got   "12" from 127.0.0.1:${port}`);
        expect(failure.expected).toEqual(['"11"', 'first difference at byte 1: expected "1" (0x31), got "2" (0x32)']);
        expect(failure.hint).toBe("add them");
        // The failure message is the transcript's last line, so a report shows it once.
        expect(scope.transcript.lines.at(-1)).toBe(failure.message);
      },
    );
  });

  it("fails after the timeout when no reply comes, with what was expected and the UDP hint", async () => {
    await withServer(ignore, async (port, scope) => {
      const client = await UdpClient.open(scope);
      client.send("5 + 6", port);
      const started = Date.now();
      const failure = await failureOf(client.receive({ timeoutMs: 100, expected: "11" }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      expect(failure.message).toBe("[client-1] got   nothing within 100 ms");
      expect(failure.expected).toEqual(['"11"']);
      expect(failure.hint).toBe(hintFor("timeout", "udp"));
      expect(scope.transcript.lines.at(-1)).toBe("[client-1] got   nothing within 100 ms");
    });
  });

  it.skipIf(!hasProc)("says the program read the datagram when its socket's queue is empty", async () => {
    await withServer(ignore, async (port, scope) => {
      const client = await UdpClient.open(scope);
      client.send("5 + 6", port);
      const failure = await failureOf(client.receive({ timeoutMs: 100 }));
      expect(failure.details).toEqual([`your program read the datagram (its receive queue is empty), but no reply reached 127.0.0.1:${client.port}`]);
    });
  });

  it.skipIf(!hasProc || !hasPython)("says the program has not read the datagram when it still waits in the queue", async () => {
    // A Node socket always reads; a Python one reads only when asked, and this one never is.
    const holder = spawn("python3", ["-c", "import socket, time\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('127.0.0.1', 0))\nprint(s.getsockname()[1], flush=True)\ntime.sleep(30)"], { stdio: ["ignore", "pipe", "inherit"] });
    const scope = new ProbeScope(1000);
    try {
      const port = await new Promise<number>((resolve, reject) => {
        holder.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        holder.once("exit", () => reject(new Error("python3 exited before it bound a port")));
      });
      const client = await UdpClient.open(scope);
      client.send("5 + 6", port);
      const failure = await failureOf(client.receive({ timeoutMs: 100 }));
      expect(failure.details).toEqual(["your program has not read the datagram: it is still waiting in its socket's receive queue"]);
    } finally {
      scope.closeAll();
      const gone = new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(undefined) : holder.once("exit", resolve)));
      holder.kill("SIGKILL");
      await gone;
    }
  });

  it.skipIf(!hasProc)("says nothing is bound to the port any more", async () => {
    const gone = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => gone.bind(0, "127.0.0.1", () => resolve()));
    const port = gone.address().port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const scope = new ProbeScope(100);
    try {
      const client = await UdpClient.open(scope);
      client.send("5 + 6", port);
      const failure = await failureOf(client.receive());
      expect(failure.details).toEqual([`nothing is bound to port ${port} any more`]);
    } finally {
      scope.closeAll();
    }
  });

  it("stops waiting as soon as the scope hears the program exited", async () => {
    await withServer(ignore, async (port, scope) => {
      const client = await UdpClient.open(scope);
      client.send("5 / 0", port);
      const started = Date.now();
      setTimeout(() => scope.programExited("exited with code 1"), 20);
      const failure = await failureOf(client.receive({ timeoutMs: 5000 }));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(failure.message).toBe("[client-1] got   nothing: your program exited with code 1");
      expect(failure.details).toEqual([]);
    });
  });

  it("describes a long datagram by its size, a shorter one by its bytes", async () => {
    await withServer(ignore, async (_port, scope) => {
      const client = await UdpClient.open(scope);
      const from = { address: "127.0.0.1", port: 4000 };
      expect(client.describeReceived({ data: Buffer.alloc(201, "x"), from })).toBe("got   201 bytes from 127.0.0.1:4000");
      expect(client.describeReceived({ data: Buffer.from("11\n"), from })).toBe('got   "11\\n" from 127.0.0.1:4000');
      expect(client.describeReceived({ data: Buffer.alloc(200, "x"), from })).toBe(`got   "${"x".repeat(80)}"… (200 bytes in all) from 127.0.0.1:4000`);
    });
  });

  it("keeps replies that were not read yet, for drain()", async () => {
    await withServer(
      () => ["first", "second"],
      async (port, scope) => {
        const client = await UdpClient.open(scope);
        client.send("twice, please", port);
        expect((await client.receive()).data.toString()).toBe("first");
        const deadline = Date.now() + 1000;
        let rest: string[] = [];
        while (rest.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          rest = client.drain().map((d) => d.data.toString());
        }
        expect(rest).toEqual(["second"]);
        expect(client.drain()).toEqual([]);
      },
    );
  });

  it.skipIf(!hasIpv6Loopback)("opens on ::1 for IPv6", async () => {
    const scope = new ProbeScope(100);
    try {
      const client = await UdpClient.open(scope, { family: 6 });
      expect(client.socket.address().address).toBe("::1");
      expect(client.label).toBe("client-1");
    } finally {
      scope.closeAll();
    }
  });

  it("is closed by the scope's closeAll", async () => {
    const scope = new ProbeScope(100);
    const client = await UdpClient.open(scope, { label: "calc" });
    expect(client.label).toBe("calc");
    scope.closeAll();
    expect(() => client.socket.address()).toThrow();
  });
});
