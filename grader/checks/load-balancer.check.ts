/**
 * load-balancer: a round-robin TCP proxy in front of BACKENDS. The check file
 * starts the grader's own backends (three TCP servers on 127.0.0.1) before the
 * program, and gives their addresses as BACKENDS.
 *
 * A backend answers the first line a client sends through the proxy,
 * "<mode> <client label>\n", with its name, "backend-2\n": so a check knows
 * which backend served which client. In "echo" mode it then sends back every
 * byte; in "hold" mode the check drives it (sends 1 MiB, half-closes,
 * resets, stops reading). Backends stop listening when a check needs them to
 * refuse, on the same port, and listen again when the check ends.
 *
 * Decisions where COURSE.md leaves room (notes/decisions-chat-lb-tls.md and
 * the lesson say the same):
 * - Round robin is judged on the cyclic order only: the readiness probe and
 *   earlier checks take turns too, so where a check's first client lands is free.
 * - The proxy connects to a backend when the client connects, before any byte.
 * - When no backend accepts, the client's connection is closed (FIN or RST)
 *   within 1 s; after a reset on one side the other is closed (FIN or RST).
 * - Backpressure is judged by bytes: while a reader takes nothing, the proxy
 *   may hold a few MiB in socket buffers, not 32 MiB.
 * - An idle connection may use next to no CPU (under 10% of a core; a busy
 *   loop gets more even on a loaded machine): this catches the busy-wait
 *   loop of the tutorial's load balancer.
 * - "In turn" for 20 connections at once: each client connects once the one
 *   before has its answer, and all stay open while their data flows.
 * - Taking the turn per connection attempt is right: after a skip, the next
 *   client starts after the backend that accepted, as the contract says.
 */
import { afterAll } from "vitest";
import { check, gradeExercise, CheckFailure, expectServedAlongside, type CheckContext, type TcpClient } from "../harness/index.ts";
import { BackendPool, type BackendConnection } from "./load-balancer/backends.ts";
import { clientEnding, echo, firstLine, greet, readAnswer, whereItWent } from "./load-balancer/exchange.ts";
import { Flood, mebibytes } from "./load-balancer/flood.ts";
import * as HINTS from "./load-balancer/hints.ts";
import { expectRoundRobin, type Assignment } from "./load-balancer/verdict.ts";

const BACKEND_COUNT = 3;
/** After the wait for a connection before any byte: how long a proxy that connects on the first data gets. */
const LATE_CONNECT_MS = 300;
/** How long an idle connection is watched for CPU use, and the share of a core it may use. */
const IDLE_MS = 300;
const IDLE_CPU_SHARE = 0.1;
const MIB = 1024 * 1024;
/** What a backend and a client each offer to a connection whose other end reads nothing. */
const FLOOD_BYTES = 40 * MIB;
/** More than this taken in while nothing was read: the proxy buffers without bound. */
const UNBOUNDED_BYTES = 32 * MIB;

let pool: BackendPool | undefined;

gradeExercise("load-balancer", {
  serverEnv: async () => {
    pool = await BackendPool.open(BACKEND_COUNT);
    return { BACKENDS: pool.env };
  },
});

afterAll(() => pool?.close());

/** The grader's backends, tied to this check: their lines go into its transcript. */
async function backends(ctx: CheckContext): Promise<BackendPool> {
  if (!pool) throw new Error("the backends were not started before the check ran");
  await pool.attach(ctx);
  ctx.scope.transcript.add("grader", `BACKENDS=${pool.env} (${pool.backends.map((b) => b.name).join(", ")})`);
  return pool;
}

check("connects to a backend as soon as a client connects, and passes bytes both ways", async (ctx) => {
  const pool = await backends(ctx);
  const mark = pool.mark();
  const client = await ctx.tcp();
  ctx.scope.transcript.step(`waiting for your program to connect to a backend for [${client.label}]`);
  if (!(await pool.acceptedAfter(mark, ctx.readTimeoutMs))) {
    // Perhaps it waits for the client's first bytes: send them, and see.
    client.send(firstLine(client, "echo"));
    const late = await pool.acceptedAfter(mark, LATE_CONNECT_MS);
    const expected = `a connection from your program to one of ${pool.backends.map((b) => b.address).join(", ")} as soon as [${client.label}] connected, before it sent anything`;
    if (late) {
      throw new CheckFailure(`your program connected to ${late.backend.name} only after [${client.label}] sent its first bytes`, { expected, hint: HINTS.LAZY_CONNECT_HINT });
    }
    throw new CheckFailure(`no backend got a connection from your program within ${ctx.readTimeoutMs} ms of [${client.label}] connecting, nor ${LATE_CONNECT_MS} ms after it sent its first bytes`, {
      expected,
      hint: HINTS.CONNECT_HINT,
    });
  }
  const backend = await greet(pool, client, "echo");
  for (let i = 0; i < 2; i++) await echo(pool, client, backend, `ping ${ctx.random.int(1000, 9999)}\n`);
});

check("sends consecutive connections to consecutive backends, wrapping around (round robin)", async (ctx) => {
  const pool = await backends(ctx);
  const assignments: Assignment[] = [];
  for (let i = 0; i < 2 * BACKEND_COUNT; i++) {
    const client = await ctx.tcp();
    const connection = await greet(pool, client, "echo");
    assignments.push({ client: client.label, backend: connection.backend });
    client.close();
  }
  expectRoundRobin(pool, assignments);
});

check("uses no CPU while a connection sits idle", async (ctx) => {
  const pool = await backends(ctx);
  const client = await ctx.tcp();
  const backend = await greet(pool, client, "echo");
  const before = ctx.cpuTimeMs();
  if (before === undefined) return ctx.skip("this machine has no /proc to read your program's CPU time from");
  ctx.scope.transcript.step(`watching your program while [${client.label}]'s connection sits idle`);
  const started = Date.now();
  await ctx.sleep(IDLE_MS);
  const wallMs = Date.now() - started;
  const usedMs = ctx.cpuTimeMs()! - before;
  ctx.scope.transcript.add("grader", `[${client.label}]'s connection sat idle for ${wallMs} ms; your program used ${usedMs} ms of CPU time meanwhile`);
  if (usedMs > wallMs * IDLE_CPU_SHARE) {
    throw new CheckFailure(`your program used ${usedMs} ms of CPU time in ${wallMs} ms while nothing was sent (${Math.round((100 * usedMs) / wallMs)}% of a core)`, {
      expected: [`next to no CPU time (under ${IDLE_CPU_SHARE * 100}% of a core) while [${client.label}]'s connection sits idle`],
      hint: HINTS.BUSY_WAIT_HINT,
    });
  }
  await echo(pool, client, backend, `still there? ${ctx.random.int(1000, 9999)}\n`);
});

check("passes 1 MiB each way intact, both ways at once", async (ctx) => {
  const pool = await backends(ctx);
  const client = await ctx.tcp();
  const backend = await greet(pool, client, "hold");
  const up = ctx.random.bytes(MIB);
  const down = ctx.random.bytes(MIB);
  client.send(up, "1,048,576 random bytes");
  backend.send(down, "1,048,576 random bytes");
  const arrivals = await Promise.allSettled([
    backend.expectBytes(up, { describe: `[${client.label}]'s 1,048,576 bytes, in order`, via: "passed on by your program", timeoutMs: 5000, hint: HINTS.INTACT_HINT }),
    client.expectBytes(down, { describe: `${backend.backend.name}'s 1,048,576 bytes, in order`, timeoutMs: 5000, hint: HINTS.INTACT_HINT }),
  ]);
  for (const arrival of arrivals) if (arrival.status === "rejected") throw arrival.reason;
});

check("serves 20 connections at once, each on its backend in turn and with its own data", async (ctx) => {
  const pool = await backends(ctx);
  pool.quiet = true;
  // One after another, each answered before the next connects (so "in turn" is well defined), all kept open.
  const clients: TcpClient[] = [];
  const connections = new Map<TcpClient, BackendConnection>();
  for (let i = 0; i < 20; i++) {
    const client = await ctx.tcp();
    client.send(firstLine(client, "echo"));
    try {
      // No answer while the earlier clients stay connected, but one once they leave: served one at a time.
      await expectServedAlongside(client, clients, async () => connections.set(client, await readAnswer(pool, client, "echo", HINTS.STALLED_HINT)));
    } catch (error) {
      if (!(error instanceof CheckFailure) || !/only after/.test(error.happened)) throw error;
      throw new CheckFailure(error.happened, { expected: error.expected, hint: HINTS.SEQUENTIAL_PROXY_HINT });
    }
    clients.push(client);
  }
  expectRoundRobin(
    pool,
    clients.map((client) => ({ client: client.label, backend: connections.get(client)!.backend })),
  );
  const messages = new Map(clients.map((client) => [client, Buffer.from(`${client.label} says ${ctx.random.bytes(12).toString("hex")}\n`)]));
  for (const client of ctx.random.shuffle([...clients])) client.send(messages.get(client)!);
  for (const client of clients) {
    const message = messages.get(client)!;
    try {
      await client.expectBytes(message);
    } catch (error) {
      throw whereItWent(error, pool, client, connections.get(client)!, message);
    }
  }
});

check("closes the client's connection within 1 s when every backend refuses", async (ctx) => {
  const pool = await backends(ctx);
  await pool.refuse(pool.backends);
  const client = await ctx.tcp();
  ctx.scope.transcript.step(`waiting for your program to close [${client.label}]'s connection`);
  const started = Date.now();
  const ending = await clientEnding(client, 1000);
  await ctx.expectStillRunning(`every backend refused [${client.label}]'s connection`, HINTS.CRASH_HINT);
  if (ending === "open") {
    ctx.scope.transcript.add(client.label, "the connection was still open after 1000 ms");
    throw new CheckFailure(`[${client.label}]'s connection was still open 1000 ms after every backend had refused`, {
      expected: ["your program to close the connection (FIN or RST) within 1000 ms: no backend can serve it"],
      hint: HINTS.ALL_DOWN_HINT,
    });
  }
  ctx.scope.transcript.add(client.label, `the connection was ${ending === "fin" ? "closed" : "reset"} by your program after ${Date.now() - started} ms`);
  await pool.reopen(pool.backends);
  const next = await ctx.tcp();
  const backend = await greet(pool, next, "echo");
  await echo(pool, next, backend, `back to work ${ctx.random.int(1000, 9999)}\n`);
});

check("skips a backend that refuses, and the next client gets the backend after the one that accepted", async (ctx) => {
  const pool = await backends(ctx);
  const first = await ctx.tcp();
  const start = pool.indexOf((await greet(pool, first, "echo")).backend);
  first.close();
  const refused = pool.at(start + 1);
  await pool.refuse([refused]);
  // [client-2]'s turn is the refused backend: it must land on the one after it.
  const second = await ctx.tcp();
  await expectOn(pool, second, pool.at(start + 2), `${refused.name} refused, so the next backend in the list`, HINTS.SKIP_HINT);
  const third = await ctx.tcp();
  await expectOn(pool, third, pool.at(start + 3), `the backend after ${pool.at(start + 2).name}, which accepted [${second.label}]`, HINTS.NEXT_TURN_HINT);
  await pool.reopen([refused]);
  const fourth = await ctx.tcp();
  await expectOn(pool, fourth, refused, `the backend after ${pool.at(start + 3).name}: ${refused.name} listens again`, HINTS.COME_BACK_HINT);
});

/** Greets and expects the client's connection on `due`, saying why it is due. */
async function expectOn(pool: BackendPool, client: TcpClient, due: { name: string }, why: string, hint: string): Promise<void> {
  let connection: BackendConnection;
  try {
    connection = await greet(pool, client, "echo", hint);
  } catch (error) {
    if (!(error instanceof CheckFailure) || error.expected.length > 0) throw error;
    throw new CheckFailure(error.happened, { details: error.details, expected: [`[${client.label}] on ${due.name}: ${why}`], hint });
  }
  if (connection.backend.name === due.name) return;
  throw new CheckFailure(`[${client.label}] went to ${connection.backend.name}`, { expected: [`[${client.label}] on ${due.name}: ${why}`], hint });
}

check("passes a half-close on, both ways, while the other direction keeps flowing", async (ctx) => {
  const pool = await backends(ctx);
  // The client half-closes first: its FIN must reach the backend, which can still answer.
  const client = await ctx.tcp();
  const backend = await greet(pool, client, "hold");
  const last = `last words ${ctx.random.int(1000, 9999)}\n`;
  client.send(last);
  client.halfClose();
  await backend.expectBytes(Buffer.from(last), { via: `from [${client.label}]`, timeoutMs: ctx.readTimeoutMs, hint: HINTS.CLIENT_TO_BACKEND_HINT });
  await expectFin(backend, ctx.readTimeoutMs, `[${client.label}] half-closed`);
  const answer = `an answer after your FIN ${ctx.random.int(1000, 9999)}\n`;
  backend.send(answer);
  try {
    await client.expectBytes(answer, { hint: HINTS.HALF_OPEN_HINT });
  } catch (error) {
    if (!(error instanceof CheckFailure) || !/closed|reset/.test(error.happened)) throw error;
    const why = `your program closed [${client.label}]'s whole connection when [${client.label}] half-closed, so ${backend.backend.name}'s answer had nowhere to go`;
    throw new CheckFailure(error.happened, { details: [why], expected: error.expected, hint: error.hint });
  }
  backend.halfClose();
  await expectClientFin(client, `${backend.backend.name} half-closed too`);

  // The backend half-closes first: its FIN must reach the client, which can still send.
  const other = await ctx.tcp();
  const otherBackend = await greet(pool, other, "hold");
  const bye = `bye from ${otherBackend.backend.name} ${ctx.random.int(1000, 9999)}\n`;
  otherBackend.send(bye);
  otherBackend.halfClose();
  await other.expectBytes(bye, { hint: HINTS.BACKEND_TO_CLIENT_HINT });
  await expectClientFin(other, `${otherBackend.backend.name} half-closed`);
  const more = `still talking ${ctx.random.int(1000, 9999)}\n`;
  other.send(more);
  await otherBackend.expectBytes(Buffer.from(more), { via: `from [${other.label}], after ${otherBackend.backend.name}'s FIN`, timeoutMs: ctx.readTimeoutMs, hint: HINTS.HALF_OPEN_HINT });
  other.halfClose();
  await expectFin(otherBackend, ctx.readTimeoutMs, `[${other.label}] half-closed too`);
});

/** The backend's side of a half-close: a FIN, not a reset, and not nothing. */
async function expectFin(backend: BackendConnection, ms: number, after: string): Promise<void> {
  const ending = await backend.ending(ms);
  if (ending === "fin") return;
  const happened = ending === "open" ? `got no FIN within ${ms} ms after ${after}` : `the connection was reset (${backend.resetBy ?? "closed"}) after ${after}, not half-closed`;
  backend.log(happened);
  throw new CheckFailure(`[${backend.source}] ${happened}`, {
    expected: ["a FIN from your program: the client's side is done, the backend's may still send"],
    hint: ending === "open" ? HINTS.PASS_FIN_HINT : HINTS.HALF_OPEN_HINT,
  });
}

async function expectClientFin(client: TcpClient, after: string): Promise<void> {
  const ending = await clientEnding(client, 1000);
  if (ending === "fin") return;
  const happened = ending === "open" ? `got no FIN within 1000 ms after ${after}` : `the connection was reset after ${after}, not half-closed`;
  throw new CheckFailure(`[${client.label}] ${happened}`, {
    expected: ["a FIN from your program, passed on from the backend"],
    hint: ending === "open" ? HINTS.PASS_FIN_HINT : HINTS.HALF_OPEN_HINT,
  });
}

check("closes one side's connection when the other side resets", async (ctx) => {
  const pool = await backends(ctx);
  const client = await ctx.tcp();
  const backend = await greet(pool, client, "hold");
  backend.reset();
  ctx.scope.transcript.step(`waiting for your program to close [${client.label}]'s connection`);
  const ending = await clientEnding(client, 1000);
  await ctx.expectStillRunning(`${backend.backend.name} reset [${client.label}]'s connection`, HINTS.RESET_CRASH_HINT);
  if (ending === "open") {
    throw new CheckFailure(`[${client.label}]'s connection was still open 1000 ms after ${backend.backend.name} reset its side`, {
      expected: ["your program to close the client's connection (FIN or RST): its backend is gone"],
      hint: HINTS.RESET_HINT,
    });
  }
  client.close();

  const other = await ctx.tcp();
  const otherBackend = await greet(pool, other, "hold");
  other.reset();
  ctx.scope.transcript.step(`waiting for your program to close ${otherBackend.backend.name}'s connection`);
  const backendEnding = await otherBackend.ending(1000);
  await ctx.expectStillRunning(`[${other.label}] reset its connection`, HINTS.RESET_CRASH_HINT);
  if (backendEnding === "open") {
    throw new CheckFailure(`[${otherBackend.source}]'s connection was still open 1000 ms after [${other.label}] reset its side`, {
      expected: ["your program to close the backend's connection (FIN or RST): its client is gone"],
      hint: HINTS.RESET_HINT,
    });
  }
});

check("keeps the other connections fast while one side stops reading, and does not pile up its bytes", async (ctx) => {
  const pool = await backends(ctx);
  const slow = await ctx.tcp();
  const stuck = await greet(pool, slow, "hold");
  // Neither end of this connection reads from now on, and both send as fast as they may.
  slow.socket.pause();
  stuck.stopReading();
  ctx.scope.transcript.add(slow.label, `stopped reading, and sends up to ${mebibytes(FLOOD_BYTES)} as fast as your program takes it`);
  stuck.log(`stopped reading, and sends up to ${mebibytes(FLOOD_BYTES)} as fast as your program takes it`);
  const down = new Flood(stuck.socket, FLOOD_BYTES);
  const up = new Flood(slow.socket, FLOOD_BYTES);

  // Meanwhile another client must be served as fast as ever.
  const other = await ctx.tcp();
  const backend = await greet(pool, other, "echo", HINTS.STALLED_HINT);
  for (let i = 0; i < 3; i++) {
    const message = `quick question ${ctx.random.int(1000, 9999)}\n`;
    const sent = Date.now();
    await echo(pool, other, backend, message, HINTS.STALLED_HINT);
    ctx.scope.transcript.add(other.label, `(round trip ${Date.now() - sent} ms)`);
  }

  ctx.scope.transcript.step("waiting for the two floods to stall");
  await Promise.all([down.settle(200, 2000), up.settle(200, 2000)]);
  stuck.log(`could hand ${mebibytes(down.taken)} to your program while [${slow.label}] read none of it`);
  ctx.scope.transcript.add(slow.label, `could hand ${mebibytes(up.taken)} to your program while ${stuck.backend.name} read none of it`);
  for (const [flood, from, to] of [
    [down, stuck.backend.name, `[${slow.label}]`],
    [up, `[${slow.label}]`, stuck.backend.name],
  ] as const) {
    if (flood.taken <= UNBOUNDED_BYTES) continue;
    throw new CheckFailure(`your program took ${mebibytes(flood.taken)} from ${from} while ${to} read none of it: it keeps in memory whatever the reader does not take`, {
      expected: [`your program to stop reading from ${from} once a few MiB wait for ${to} (backpressure): at most ${mebibytes(UNBOUNDED_BYTES)} here`],
      hint: HINTS.BACKPRESSURE_HINT,
    });
  }
});
