import { CheckFailure } from "../probes/check-failure.ts";
import type { ProbeScope } from "../probes/probe-scope.ts";
import type { ExitInfo } from "../launcher/start-program.ts";
import type { ClientRun } from "../launcher/supervisor-protocol.ts";
import { quoteBytes } from "../probes/format-bytes.ts";
import { shellQuote as quoteArg } from "../launcher/shell-quote.ts";
import { describeExit } from "../launcher/describe-exit.ts";
import { hasBegunExiting } from "../launcher/process-tree.ts";
import { launchSpecOf, type GradeTarget } from "./grade-target.ts";
import { SupervisorClient } from "./supervisor-client.ts";
import { SeededRandom } from "./seeded-random.ts";
import type { ServerEnvironment } from "./check.ts";

interface Running {
  pid: number;
  port: number;
  description: string;
  exit?: ExitInfo;
}

/**
 * The learner's server, shared by the checks of one exercise: the CLI's
 * supervisor starts it (often before the first check asks), starts it again
 * on a fresh port when an earlier check left it dead, and stops it after the
 * last. A program that cannot start fails every check at once with the same
 * diagnosis, instead of making each one wait again.
 */
export class ProgramUnderTest {
  private readonly target: GradeTarget;
  private readonly supervisor = new SupervisorClient();
  private current: Running | undefined;
  private startFailure: CheckFailure | undefined;
  private failedPid: number | undefined;
  /** The last run of a client program, whose output a failure report shows. */
  private lastRunPid: number | undefined;
  /** The check running now: an exit is written into its transcript as it happens. */
  private scope: ProbeScope | undefined;

  private readonly serverEnv: ServerEnvironment | undefined;
  private madeEnv: Promise<Record<string, string>> | undefined;

  constructor(target: GradeTarget, serverEnv?: ServerEnvironment) {
    this.target = target;
    this.serverEnv = serverEnv;
    this.supervisor.onExit((pid, exit) => {
      if (pid !== this.current?.pid) return;
      this.current.exit = exit;
      if (exit.stoppedByGrader) return;
      this.scope?.transcript.add("your program", describeExit(exit));
      this.scope?.programExited(describeExit(exit));
    });
  }

  /** How the program ended, if it has. */
  get exit(): ExitInfo | undefined {
    return this.current?.exit;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /**
   * How the program ended, if it has, asking the kernel rather than waiting
   * for the supervisor's notice: a process that /proc no longer shows gets
   * a moment for its exit status to arrive.
   */
  async exitIfGone(): Promise<ExitInfo | undefined> {
    const current = this.current;
    if (!current || current.exit || !hasBegunExiting(current.pid)) return current?.exit;
    const deadline = Date.now() + 1000;
    while (!current.exit && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return current.exit ?? { code: null, signal: null, stoppedByGrader: false };
  }

  /** Starts the program unless it runs already, and returns its port. */
  async ensureRunning(scope: ProbeScope): Promise<number> {
    this.scope = scope;
    if (this.startFailure) throw this.startFailure;
    if (this.current && !this.current.exit) return this.current.port;
    if (this.current?.exit) {
      scope.transcript.add("grader", `your program had ${describeExit(this.current.exit)} during an earlier check; starting it again`);
    }
    // Only the first launch may claim the program the CLI started ahead of time,
    // and only if the CLI could make its environment.
    let launch = launchSpecOf(this.target, !this.current && !this.serverEnv);
    if (this.serverEnv) {
      this.madeEnv ??= this.serverEnv(new SeededRandom(`${this.target.seed}:${this.target.exerciseId}:environment`));
      launch = { ...launch, env: { ...launch.env, ...(await this.madeEnv) } };
    }
    const reply = await this.supervisor.request<"start">({ kind: "start", launch });
    if (reply.kind === "started") {
      this.current = { pid: reply.pid, port: reply.port, description: reply.description };
      scope.transcript.add("grader", `started ${reply.description} with PORT=${reply.port}`);
      return reply.port;
    }
    if (reply.kind !== "start-failed") throw new Error(`unexpected reply from the supervisor: ${reply.kind}`);
    this.failedPid = reply.pid;
    if (reply.failure.internal) throw new Error(reply.failure.message);
    this.startFailure = new CheckFailure(reply.failure.message, { details: reply.failure.details, hint: reply.failure.hint });
    throw this.startFailure;
  }

  /**
   * Runs a client program once, to its end or the time limit, and writes what
   * it did into the transcript: how it was started, how it ended, what it printed.
   */
  async run(scope: ProbeScope, args: string[], env: Record<string, string>, timeoutMs: number): Promise<ClientRun> {
    const launch = launchSpecOf(this.target, false);
    const shown = Object.entries(env).map(([k, v]) => `${k}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}`).join(" ");
    // Written before the run, so what the grader's own servers log during it comes after.
    scope.transcript.add("grader", `ran ${launch.spec.kind === "typescript" ? "your program" : launch.spec.command}${args.length ? ` ${args.map(quoteArg).join(" ")}` : ""}${shown ? ` with ${shown}` : ""}`);
    scope.transcript.step("your program running");
    const reply = await this.supervisor.request<"run">({ kind: "run", launch: { ...launch, env: { ...launch.env, ...env } }, args, timeoutMs }, timeoutMs + 30_000);
    if (reply.kind === "start-failed") {
      if (reply.failure.internal) throw new Error(reply.failure.message);
      throw new CheckFailure(reply.failure.message, { details: reply.failure.details, hint: reply.failure.hint });
    }
    if (reply.kind !== "ran") throw new Error(`unexpected reply from the supervisor: ${reply.kind}`);
    const { run } = reply;
    this.lastRunPid = run.pid;
    for (const [stream, text] of [["stdout", run.stdout], ["stderr", run.stderr]] as const) {
      const lines = text.replace(/\n$/, "").split("\n");
      if (text === "") continue;
      for (const line of lines.slice(0, 12)) scope.transcript.add("your program", `${stream}: ${quoteBytes(line)}`);
      if (lines.length > 12) scope.transcript.add("your program", `${stream}: … ${lines.length - 12} more lines`);
    }
    scope.transcript.add(
      "your program",
      run.timedOut ? `was still running after ${timeoutMs} ms, so the grader stopped it` : `${describeExit(run.exit)} after ${run.durationMs} ms`,
    );
    return run;
  }

  /** Called when a check ends, so later exits are not blamed on it. */
  release(): void {
    this.scope = undefined;
  }

  /** The program's latest output (or that of the client run `ofRun`), for a failure report. */
  async output(ofRun?: number): Promise<{ lines: string[]; totalBytes: number; complete: boolean } | undefined> {
    const pid = ofRun ?? this.lastRunPid ?? this.current?.pid ?? this.failedPid;
    if (pid === undefined) return undefined;
    // The output only adds to a failure report: without it, the report still stands.
    const reply = await this.supervisor.request<"output">({ kind: "output", pid }, 2000).catch(() => undefined);
    return reply?.kind === "output" && reply.totalBytes > 0 ? { lines: reply.lines, totalBytes: reply.totalBytes, complete: reply.complete } : undefined;
  }

  async stop(): Promise<void> {
    if (this.current && !this.current.exit) await this.supervisor.request<"stop">({ kind: "stop", pid: this.current.pid });
    this.supervisor.close();
  }
}
