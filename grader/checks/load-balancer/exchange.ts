import { CheckFailure, describeDifference, quoteBytes, type TcpClient } from "../../harness/index.ts";
import type { BackendConnection, BackendPool, Ending, Mode } from "./backends.ts";
import { BACKEND_TO_CLIENT_HINT, CLIENT_TO_BACKEND_HINT, EVERY_CHUNK_HINT, MIXED_UP_HINT } from "./hints.ts";

/** The first line a client sends: the backend's mode and whose connection this is. */
export function firstLine(client: TcpClient, mode: Mode): string {
  return `${mode} ${client.label}\n`;
}

/**
 * Sends the client's first line through the load balancer and reads the
 * answer "backend-N\n": returns the backend connection that got the line.
 * When no answer comes, says on which side the bytes stopped.
 */
export async function greet(pool: BackendPool, client: TcpClient, mode: Mode, hint?: string): Promise<BackendConnection> {
  client.send(firstLine(client, mode));
  return readAnswer(pool, client, mode, hint);
}

/** The second half of greet(): reads "backend-N\n" and finds the connection that sent it. */
export async function readAnswer(pool: BackendPool, client: TcpClient, mode: Mode, hint?: string): Promise<BackendConnection> {
  let got: string;
  try {
    got = await client.readLine({ hint: hint ?? CLIENT_TO_BACKEND_HINT });
  } catch (error) {
    throw whyNoAnswer(error, pool, client, mode, hint);
  }
  const connection = pool.tagged(client.label);
  if (!connection) {
    throw new CheckFailure(`[${client.label}] got ${quoteBytes(`${got}\n`)}, but no backend got [${client.label}]'s first line`, {
      expected: [`"backend-N\\n" from the backend that got ${quoteBytes(firstLine(client, mode))}`],
      hint: CLIENT_TO_BACKEND_HINT,
    });
  }
  if (got !== connection.backend.name) {
    const want = Buffer.from(`${connection.backend.name}\n`);
    const have = Buffer.from(`${got}\n`);
    throw new CheckFailure(`[${client.label}] got ${quoteBytes(have)}`, {
      expected: [`${quoteBytes(want)}, the answer of ${connection.backend.name}, which got [${client.label}]'s first line`, ...(describeDifference(want, have)?.split("\n") ?? [])],
      hint: hint ?? BACKEND_TO_CLIENT_HINT,
    });
  }
  return connection;
}

function whyNoAnswer(error: unknown, pool: BackendPool, client: TcpClient, mode: Mode, hint: string | undefined): unknown {
  if (!(error instanceof CheckFailure)) return error;
  const line = firstLine(client, mode);
  const connection = pool.tagged(client.label);
  if (connection) {
    return new CheckFailure(error.happened, {
      details: [`${connection.backend.name} got ${quoteBytes(line)} and answered ${quoteBytes(`${connection.backend.name}\n`)}, but the answer never reached [${client.label}]`],
      expected: error.expected,
      hint: hint ?? BACKEND_TO_CLIENT_HINT,
    });
  }
  const strange = pool.connections.filter((c) => c.strangeLine && !c.closed).map((c) => `${c.backend.name} got ${quoteBytes(c.strangeLine!)} instead`);
  return new CheckFailure(error.happened, {
    details: [`no backend got ${quoteBytes(line)}: the bytes [${client.label}] sent stopped inside your program`, ...strange],
    expected: error.expected,
    hint: hint ?? CLIENT_TO_BACKEND_HINT,
  });
}

/** Sends `message` on a client whose backend echoes, and expects it back, saying where it got lost. */
export async function echo(pool: BackendPool, client: TcpClient, backend: BackendConnection, message: string, hint?: string): Promise<void> {
  client.send(message);
  try {
    await client.expectBytes(message, { hint: hint ?? EVERY_CHUNK_HINT });
  } catch (error) {
    throw whereItWent(error, pool, client, backend, Buffer.from(message), hint);
  }
}

/** Explains a missing echo by what the backends got: nothing, the bytes on another connection, or the bytes unanswered. */
export function whereItWent(error: unknown, pool: BackendPool, client: TcpClient, backend: BackendConnection, bytes: Buffer, hint?: string): unknown {
  if (!(error instanceof CheckFailure) || !/nothing|closed|reset/.test(error.happened)) return error;
  if (backend.peek().includes(bytes)) {
    return new CheckFailure(error.happened, {
      details: [`${backend.source} got ${quoteBytes(bytes)} and echoed it, but the echo never reached [${client.label}]`],
      expected: error.expected,
      hint: hint ?? BACKEND_TO_CLIENT_HINT,
    });
  }
  const elsewhere = pool.connections.find((c) => c !== backend && c.peek().includes(bytes));
  if (elsewhere) {
    return new CheckFailure(`[${client.label}]'s ${quoteBytes(bytes)} arrived on the backend connection of ${elsewhere.tag ? `[${elsewhere.tag}]` : "another client"} (${elsewhere.source}), not on its own (${backend.source})`, {
      expected: [`${quoteBytes(bytes)} on ${backend.source}, the connection your program opened for [${client.label}]`],
      hint: MIXED_UP_HINT,
    });
  }
  return new CheckFailure(error.happened, {
    details: [`${backend.source} got nothing after [${client.label}]'s first line: your program passed on the first bytes, not the next ones`],
    expected: error.expected,
    hint: hint ?? EVERY_CHUNK_HINT,
  });
}

/** Waits until the program closes the client's connection (FIN or reset), or `ms` pass ("open"). */
export function clientEnding(client: TcpClient, ms: number): Promise<Ending> {
  const socket = client.socket;
  const now = (): Ending | undefined => (socket.readableEnded ? "fin" : socket.destroyed ? "reset" : undefined);
  return new Promise((resolve) => {
    const finish = (ending: Ending) => {
      clearTimeout(timer);
      socket.off("end", check);
      socket.off("close", check);
      resolve(ending);
    };
    const check = () => {
      const ending = now();
      if (ending) finish(ending);
    };
    const timer = setTimeout(() => finish(now() ?? "open"), ms);
    socket.on("end", check);
    socket.on("close", check);
    check();
  });
}
