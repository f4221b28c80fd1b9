import net from "node:net";
import { describe, expect, it } from "vitest";
import { failureOf } from "../support/failure-of.ts";
import { ProbeScope } from "../../grader/probes/probe-scope.ts";
import { hintFor } from "../../grader/probes/socket-hints.ts";
import { TcpClient } from "../../grader/probes/tcp-client.ts";

interface TestServer {
  port: number;
  /** Resolves when the client of a connection the server accepted has gone (FIN or RST). */
  clientGone: Promise<void>;
}

/**
 * Runs `body` against a server on 127.0.0.1 that treats each connection as
 * `onConnection` says, and a fresh ProbeScope; everything is closed afterwards.
 */
async function withServer(onConnection: (socket: net.Socket) => void, body: (server: TestServer, scope: ProbeScope) => Promise<void>, readTimeoutMs = 1000): Promise<void> {
  const sockets = new Set<net.Socket>();
  let markGone = () => {};
  const clientGone = new Promise<void>((resolve) => (markGone = resolve));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("error", () => markGone());
    socket.on("end", () => markGone());
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const scope = new ProbeScope(readTimeoutMs);
  try {
    await body({ port: (server.address() as net.AddressInfo).port, clientGone }, scope);
  } finally {
    scope.closeAll();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}


const silent = () => {};

describe("TcpClient", () => {
  it("reads the expected bytes and writes the exchange into the transcript", async () => {
    await withServer(
      (socket) => socket.on("data", (chunk) => socket.write(chunk)),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        client.send("hello\n");
        await client.expectBytes("hello\n");
        expect(scope.transcript.lines).toEqual([`[client-1] connected to 127.0.0.1:${port} (local port ${client.socket.localPort})`, '[client-1] sent  "hello\\n"', '[client-1] got   "hello\\n"']);
      },
    );
  });

  it("fails on different bytes, naming the client and the first difference", async () => {
    await withServer(
      (socket) => socket.write("hellO\n"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        const failure = await failureOf(client.expectBytes("hello\n", { hint: "mind the case" }));
        expect(failure.message).toBe('[client-1] got   "hellO\\n"');
        expect(failure.expected).toEqual(['"hello\\n"', 'first difference at byte 4: expected "o" (0x6f), got "O" (0x4f)']);
        expect(failure.hint).toBe("mind the case");
      },
    );
  });

  it("fails after the timeout when nothing comes, with the timeout hint", async () => {
    await withServer(silent, async ({ port }, scope) => {
      const client = await TcpClient.connect(scope, { port });
      const started = Date.now();
      const failure = await failureOf(client.expectBytes("hello", { timeoutMs: 100 }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      expect(failure.message).toBe("[client-1] got   nothing within 100 ms");
      expect(failure.expected).toEqual(['"hello"']);
      expect(failure.hint).toBe(hintFor("timeout"));
      expect(scope.transcript.lines.at(-1)).toBe("[client-1] got   nothing within 100 ms");
    });
  });

  it("says nothing more came after what was already read", async () => {
    await withServer(
      (socket) => socket.write("hi\n"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        expect(await client.readLine()).toBe("hi");
        const failure = await failureOf(client.readLine({ timeoutMs: 100 }));
        expect(failure.message).toBe("[client-1] got   nothing more within 100 ms");
        expect(failure.expected).toEqual([]);
      },
    );
  });

  it("uses the scope's read timeout when none is given", async () => {
    await withServer(
      silent,
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        expect((await failureOf(client.readLine())).message).toBe("[client-1] got   nothing within 150 ms");
      },
      150,
    );
  });

  it("says what came before the silence, and where it differs", async () => {
    await withServer(
      (socket) => socket.write("ab"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        const failure = await failureOf(client.expectBytes("abc", { timeoutMs: 100 }));
        expect(failure.message).toBe('[client-1] got   "ab" and then nothing more within 100 ms');
        expect(failure.expected).toEqual(['"abc"', 'first difference at byte 2: expected "c" (0x63), got the end of the data', "  lengths: expected 3 bytes, got 2 bytes"]);
      },
    );
  });

  it("says the program closed the connection before the expected bytes came", async () => {
    await withServer(
      (socket) => socket.end("ab"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        const failure = await failureOf(client.expectBytes("abc"));
        expect(failure.message).toBe('[client-1] got   "ab" and then the connection was closed by your program');
        expect(failure.hint).toBe(hintFor("eof"));
      },
    );
  });

  it("says the program reset the connection", async () => {
    await withServer(
      (socket) => socket.once("data", () => socket.resetAndDestroy()),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        client.send("x");
        const failure = await failureOf(client.expectBytes("y"));
        expect(failure.message).toBe("[client-1] the connection was reset by your program");
        expect(failure.hint).toBe(hintFor("reset"));
        expect(scope.transcript.lines.at(-1)).toBe(failure.message);
      },
    );
  });

  it("reads lines without their \\r\\n or \\n, one at a time", async () => {
    await withServer(
      (socket) => socket.write("first\r\nsecond\nthird"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        expect(await client.readLine()).toBe("first");
        expect(await client.readLine()).toBe("second");
        expect(client.bufferedBytes).toBe(5);
        expect(scope.transcript.lines.slice(1)).toEqual(['[client-1] got   "first\\r\\n"', '[client-1] got   "second\\n"']);
      },
    );
  });

  it("fails a line that differs, showing both with their newline", async () => {
    await withServer(
      (socket) => socket.write("Hello\n"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        const failure = await failureOf(client.expectLine("hello"));
        expect(failure.message).toBe('[client-1] got   "Hello\\n"');
        expect(failure.expected).toEqual(['"hello\\n"', 'first difference at byte 0: expected "h" (0x68), got "H" (0x48)']);
      },
    );
  });

  it("sees the program close the connection", async () => {
    await withServer(
      (socket) => socket.end(),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        await client.expectClose();
        expect(scope.transcript.lines.at(-1)).toBe("[client-1] the connection was closed by your program");
      },
    );
  });

  it("fails expectClose when bytes come before the close", async () => {
    await withServer(
      (socket) => socket.end("extra"),
      async ({ port }, scope) => {
        const client = await TcpClient.connect(scope, { port });
        const failure = await failureOf(client.expectClose());
        expect(failure.message).toBe('[client-1] got   "extra" before the connection closed');
        expect(failure.expected).toEqual(["the connection to close with nothing more sent"]);
      },
    );
  });

  it("fails expectClose when the program keeps the connection open", async () => {
    await withServer(silent, async ({ port }, scope) => {
      const client = await TcpClient.connect(scope, { port });
      const failure = await failureOf(client.expectClose({ timeoutMs: 100 }));
      expect(failure.message).toBe("[client-1] got   nothing within 100 ms");
      expect(failure.expected).toEqual(["the connection to close"]);
    });
  });

  it("numbers clients in order and keeps every line in the order it happened", async () => {
    await withServer(
      (socket) => socket.on("data", (chunk) => socket.write(chunk)),
      async ({ port }, scope) => {
        const one = await TcpClient.connect(scope, { port });
        const two = await TcpClient.connect(scope, { port });
        two.send("2");
        await two.expectBytes("2");
        one.send("1");
        await one.expectBytes("1");
        one.halfClose();
        two.close();
        expect(scope.transcript.lines.slice(2)).toEqual(['[client-2] sent  "2"', '[client-2] got   "2"', '[client-1] sent  "1"', '[client-1] got   "1"', "[client-1] closed its sending side (half-close)", "[client-2] closed the connection"]);
        expect(scope.transcript.lines[0]).toMatch(/^\[client-1\] connected to/);
        expect(scope.transcript.lines[1]).toMatch(/^\[client-2\] connected to/);
      },
    );
  });

  it("keeps a label it is given", async () => {
    await withServer(silent, async ({ port }, scope) => {
      const client = await TcpClient.connect(scope, { port, label: "slow client" });
      expect(client.label).toBe("slow client");
      expect(scope.nextLabel()).toBe("client-1");
    });
  });

  it("fails to connect to a port nobody listens on, saying refused", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const scope = new ProbeScope(1000);
    try {
      const failure = await failureOf(TcpClient.connect(scope, { port }));
      expect(failure.message).toBe(`[client-1] could not connect to 127.0.0.1:${port}: ECONNREFUSED`);
      expect(failure.hint).toBe(hintFor("refused"));
    } finally {
      scope.closeAll();
    }
  });

  it("destroys every socket of the scope on closeAll", async () => {
    await withServer(silent, async ({ port, clientGone }, scope) => {
      const client = await TcpClient.connect(scope, { port });
      scope.closeAll();
      expect(client.socket.destroyed).toBe(true);
      // The server sees the connection go.
      await clientGone;
    });
  });
});
