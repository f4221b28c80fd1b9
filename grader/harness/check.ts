import { afterAll, inject, test } from "vitest";
import { CheckFailure } from "../probes/check-failure.ts";
import { ProbeScope } from "../probes/probe-scope.ts";
import { TcpClient, type TcpConnectOptions } from "../probes/tcp-client.ts";
import { UdpClient } from "../probes/udp-client.ts";
import type { CheckRecord, FailureDetails } from "../report/check-record.ts";
import type { GradeTarget } from "./grade-target.ts";
import { ProgramUnderTest } from "./program-under-test.ts";
import { describeExit } from "../launcher/describe-exit.ts";
import type { ClientRun } from "../launcher/supervisor-protocol.ts";
import { SeededRandom } from "./seeded-random.ts";
import { acceptedInode, canWatchServerSide, released } from "../probes/server-side.ts";
import { processTree } from "../launcher/process-tree.ts";
import { existsSync, readFileSync } from "node:fs";

/** What a check's body gets: the program's port, clients that talk to it, seeded randomness. */
export interface CheckContext {
  /** Server exercises: the port the program listens on. Client exercises: 0 (each run gets its own). */
  port: number;
  /**
   * Client exercises: runs the learner's program once with these arguments
   * and extra environment (HOST, PORT of the grader's server, ...), to its
   * end or the time limit (default: the exercise's check limit).
   */
  run(args: string[], options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<ClientRun>;
  readTimeoutMs: number;
  random: SeededRandom;
  scope: ProbeScope;
  /** A TCP client connected to the program (or elsewhere, with options). */
  tcp(options?: Partial<TcpConnectOptions>): Promise<TcpClient>;
  /** A UDP socket bound on loopback, ready to send to `port`. */
  udp(options?: { family?: 4 | 6; localAddress?: string }): Promise<UdpClient>;
  /**
   * Resets `client` (RST) and waits until the program has dealt with it:
   * closed its end, or crashed. At most `limitMs`; a fixed pause without /proc.
   */
  resetAndWait(client: TcpClient, limitMs?: number): Promise<void>;
  /**
   * Server exercises: the CPU time (user + system, ms) the program and its
   * children have used so far, read from /proc; undefined without /proc.
   */
  cpuTimeMs(): number | undefined;
  /** Fails the check if the program is no longer running, saying after what. */
  expectStillRunning(after: string, hint: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Ends the check as skipped, saying why: for what this machine cannot test (no IPv6 loopback). */
  skip(reason: string): never;
}

export type CheckBody = (ctx: CheckContext) => Promise<void>;

/**
 * The variables a server exercise's contract names besides PORT (ZONE_FILE,
 * BACKENDS), made by its check file before the program starts: files written
 * from the run's seed, servers of the grader's own. Called once per file.
 * Such a server is not started ahead of the checks (course.json lists its
 * variables), since only the check file can make them.
 */
export type ServerEnvironment = (random: SeededRandom) => Promise<Record<string, string>>;

/**
 * What the checks of one check file share. Kept per file, not per module:
 * when vitest reuses a worker for several files (isolate: false), this
 * module stays loaded, and one file's program or failures must not leak
 * into the next.
 */
interface FileState {
  exerciseId: string;
  serverEnv?: ServerEnvironment;
  program?: ProgramUnderTest;
  target?: GradeTarget;
  failedAlready: boolean;
  /** When the first check began: the start of the exercise's time limit. */
  startedAt?: number;
}

/** The file being collected: check() calls made while it loads belong to it. */
let collecting: FileState | undefined;

/**
 * Declares which exercise this check file grades. The CLI says which program
 * to run for it; the program is started before the first check and ended
 * after the last.
 */
export function gradeExercise(id: string, options: { serverEnv?: ServerEnvironment } = {}): void {
  const state: FileState = { exerciseId: id, failedAlready: false, ...(options.serverEnv ? { serverEnv: options.serverEnv } : {}) };
  collecting = state;
  afterAll(async () => {
    await state.program?.stop();
  });
}

/**
 * One check: a vitest test that starts (or reuses) the learner's program,
 * runs `body` under a watchdog, closes every socket it opened, and records
 * its transcript and any failure for the reporters.
 */
export function check(name: string, body: CheckBody, options: { timeoutMs?: number } = {}): void {
  const state = collecting;
  if (!state) throw new Error("call gradeExercise(id) at the top of the check file");
  const current = () => {
    state.target ??= inject("targets")?.[state.exerciseId];
    if (!state.target) throw new Error(`no program to grade was provided for ${state.exerciseId}`);
    state.program ??= new ProgramUnderTest(state.target, state.serverEnv);
    return { target: state.target, program: state.program };
  };
  // check()'s own watchdog says what the check was waiting for; vitest's is only a backstop.
  test(name, { timeout: 0 }, async (context) => {
    const { target, program } = current();
    if (state.failedAlready && target.stopAtFirstFailure) context.skip("an earlier check failed");
    const scope = new ProbeScope(target.timeouts.readMs);
    const record: CheckRecord = { transcript: scope.transcript.lines };
    context.task.meta.socketlings = record;
    let limitMs = target.timeouts.startMs + (options.timeoutMs ?? target.timeouts.checkMs);
    try {
      if (target.timeLimitMs !== undefined) {
        state.startedAt ??= Date.now();
        const left = state.startedAt + target.timeLimitMs - Date.now();
        if (left <= 0) throw new CheckFailure(`the exercise's time limit (${Math.round(target.timeLimitMs / 1000)} s) ran out before this check could run`);
        limitMs = Math.min(limitMs, left);
      }
      await withWatchdog(
        (async () => {
          const port = target.role === "server" ? await program.ensureRunning(scope) : 0;
          await body(makeContext(scope, port, target, name, program, (reason) => context.skip(reason)));
        })(),
        limitMs,
        scope,
      );
    } catch (error) {
      // ctx.skip() ends a check by throwing vitest's own "pending" error: not a failure.
      if ((error as { code?: string } | undefined)?.code === "VITEST_PENDING") throw error;
      state.failedAlready = true;
      record.failure = describeFailure(error, await program.output(error instanceof CheckFailure ? error.outputOf : undefined));
      throw new Error(record.failure.message);
    } finally {
      scope.closeAll();
      program.release();
    }
  });
}

function makeContext(scope: ProbeScope, port: number, target: GradeTarget, name: string, program: ProgramUnderTest, skip: (reason: string) => never): CheckContext {
  return {
    skip,
    port,
    readTimeoutMs: target.timeouts.readMs,
    random: new SeededRandom(`${target.seed}:${target.exerciseId}:${name}`),
    scope,
    run: (args, options = {}) => program.run(scope, args, options.env ?? {}, options.timeoutMs ?? target.timeouts.checkMs),
    tcp: (options = {}) => TcpClient.connect(scope, { port, ...options }),
    udp: (options = {}) => UdpClient.open(scope, options),
    async resetAndWait(client, limitMs = 500) {
      const pid = program.pid;
      if (!canWatchServerSide || pid === undefined) {
        client.reset();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return;
      }
      const inode = await acceptedInode(port, client.socket.localPort ?? 0, limitMs);
      client.reset();
      if (inode === undefined) return;
      await released(pid, inode, limitMs);
      // Node closes a reset socket first and crashes on its unhandled error a moment later.
      await new Promise((resolve) => setTimeout(resolve, 25));
    },
    cpuTimeMs: () => (program.pid === undefined ? undefined : cpuTimeOf(processTree(program.pid))),
    async expectStillRunning(after, hint) {
      const exit = await program.exitIfGone();
      if (exit) throw new CheckFailure(`your program ${describeExit(exit)} after ${after}`, { hint });
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** utime + stime of these processes in ms (/proc counts clock ticks, 100 a second on Linux). */
function cpuTimeOf(pids: number[]): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      // Fields after the command name (in parentheses, which may hold spaces): state is 3rd, utime 14th, stime 15th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: its time went with it.
    }
  }
  return ticks * 10;
}

async function withWatchdog(work: Promise<void>, limitMs: number, scope: ProbeScope): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`the check did not finish within ${limitMs} ms: it was stuck at "${scope.transcript.pending}"`)), limitMs);
  });
  try {
    await Promise.race([work, watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

function describeFailure(error: unknown, printed: FailureDetails["output"]): FailureDetails {
  if (error instanceof CheckFailure) {
    return {
      message: error.happened,
      details: error.details,
      expected: error.expected,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(printed ? { output: printed } : {}),
    };
  }
  const bug = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message: "the grader itself failed (a bug in socketlings, not in your program)", details: bug.split("\n").slice(0, 8), expected: [], internal: true };
}
