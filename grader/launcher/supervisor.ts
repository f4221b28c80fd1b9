import { BroadcastChannel } from "node:worker_threads";
import { freePort } from "./free-port.ts";
import { startProgram, type RunningProgram } from "./start-program.ts";
import { waitUntilReady } from "./wait-ready.ts";
import { describeExit } from "./describe-exit.ts";
import { trace } from "../report/trace.ts";
import { SUPERVISOR_CHANNEL, type ClientRun, type LaunchSpec, type Reply, type Request, type StartFailure } from "./supervisor-protocol.ts";

/** No exercise needs more; a program past it is stopped before it slows the machine down. */
const MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

type Launch = { ok: true; program: RunningProgram; port: number } | { ok: false; failure: StartFailure; pid?: number };

/**
 * Owns every program the checks run, in the CLI's main thread: starts them
 * (ahead of time when asked), reports their exits, hands out their output,
 * and stops whatever is left. Checks in worker threads talk to it through
 * messages (see supervisor-protocol.ts).
 */
export class ProgramSupervisor {
  private readonly channel = new BroadcastChannel(SUPERVISOR_CHANNEL);
  private readonly programs = new Map<number, RunningProgram>();
  /** Started before any check asked: claimed by the first request with the same key. */
  private readonly early = new Map<string, Promise<Launch>>();
  /** Launches still compiling or starting: stopAll waits for them, so none starts after it. */
  private readonly starting = new Set<Promise<unknown>>();

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => void this.answer((event as { data: Request }).data);
  }

  /** Starts a program now, so it is ready by the time vitest has loaded the checks. */
  prestart(launch: LaunchSpec): void {
    if (launch.key !== undefined && !this.early.has(launch.key)) this.early.set(launch.key, this.track(this.launch(launch)));
  }

  /** Ends every program still running; the safety net after a grading run. */
  async stopAll(): Promise<void> {
    this.early.clear();
    await Promise.allSettled([...this.starting]);
    await Promise.all([...this.programs.values()].map((p) => p.stop()));
  }

  close(): void {
    this.channel.close();
  }

  /**
   * Every request gets a reply, even when handling it throws (a full disk, no
   * file descriptors left): a check must never wait for an answer that will
   * not come. Such a failure is the grader's, and is marked as such.
   */
  private async answer(request: Request): Promise<void> {
    try {
      await this.handle(request);
    } catch (error) {
      const message = `the grader could not ${request.kind} your program: ${(error as Error).message}`;
      if (request.kind === "start" || request.kind === "run") this.reply({ kind: "start-failed", id: request.id, failure: { message, details: [], hint: "", internal: true } });
      else if (request.kind === "stop") this.reply({ kind: "stopped", id: request.id, exit: undefined });
      else this.reply({ kind: "output", id: request.id, lines: [], totalBytes: 0, complete: true });
    }
  }

  private async handle(request: Request): Promise<void> {
    switch (request.kind) {
      case "start": {
        const key = request.launch.key;
        const claimed = key === undefined ? undefined : this.early.get(key);
        if (key !== undefined) this.early.delete(key);
        const launch = await (claimed ?? this.track(this.launch(request.launch)));
        if (launch.ok) {
          this.reply({ kind: "started", id: request.id, pid: launch.program.pid, port: launch.port, description: launch.program.description });
          // An exit that happened before this reply would otherwise go unseen.
          if (launch.program.exit) this.reply({ kind: "exited", pid: launch.program.pid, exit: launch.program.exit });
        } else {
          this.reply({ kind: "start-failed", id: request.id, failure: launch.failure, ...(launch.pid ? { pid: launch.pid } : {}) });
        }
        return;
      }
      case "run": {
        const result = await this.track(this.runClient(request.launch, request.args, request.timeoutMs));
        if (result.ok) this.reply({ kind: "ran", id: request.id, run: result.run });
        else this.reply({ kind: "start-failed", id: request.id, failure: result.failure });
        return;
      }
      case "stop": {
        const program = this.programs.get(request.pid);
        this.reply({ kind: "stopped", id: request.id, exit: program ? await program.stop() : undefined });
        return;
      }
      case "output": {
        const output = this.programs.get(request.pid)?.output;
        const lines = output?.lastLines(5) ?? [];
        this.reply({ kind: "output", id: request.id, lines, totalBytes: output?.totalBytes ?? 0, complete: !output || (!output.truncated && output.lineCount() === lines.length) });
        return;
      }
    }
  }

  private track<T>(launch: Promise<T>): Promise<T> {
    this.starting.add(launch);
    void launch.finally(() => this.starting.delete(launch)).catch(() => {});
    return launch;
  }

  /**
   * Runs a client program to its end, or stops it at the time limit. Its
   * output is kept apart (stdout, stderr); whatever it started is ended too.
   */
  private async runClient(spec: LaunchSpec, args: string[], timeoutMs: number): Promise<{ ok: true; run: ClientRun } | { ok: false; failure: StartFailure }> {
    const started = await startProgram({ spec: spec.spec, cwd: spec.cwd, env: spec.env, args, cacheDir: spec.cacheDir, outputCapBytes: 1024 * 1024, memoryLimitBytes: MEMORY_LIMIT_BYTES });
    if (!started.ok) {
      const [first = "", ...rest] = started.message.split("\n");
      return { ok: false, failure: { message: first, details: rest, hint: "fix the error above; your editor shows it too." } };
    }
    const { program } = started;
    this.programs.set(program.pid, program);
    const begun = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const ended = await Promise.race([program.exited, limit]);
    clearTimeout(timer);
    const durationMs = Date.now() - begun;
    // Stops it at the limit; after an exit, ends whatever it left running.
    const exit = await program.stop();
    return {
      ok: true,
      run: {
        pid: program.pid,
        exit,
        timedOut: ended === "timeout",
        durationMs,
        stdout: program.stdout.text(),
        stderr: program.stderr.text(),
        truncated: program.stdout.truncated || program.stderr.truncated,
      },
    };
  }

  private reply(reply: Reply): void {
    this.channel.postMessage(reply);
  }

  private async launch(spec: LaunchSpec): Promise<Launch> {
    const port = await freePort(spec.transport);
    const started = await startProgram({ spec: spec.spec, cwd: spec.cwd, env: { ...spec.env, PORT: String(port), HOST: "127.0.0.1" }, cacheDir: spec.cacheDir, memoryLimitBytes: MEMORY_LIMIT_BYTES });
    if (!started.ok) {
      const [first = "", ...rest] = started.message.split("\n");
      return { ok: false, failure: { message: first, details: rest, hint: "fix the error above; your editor shows it too." } };
    }
    const { program } = started;
    this.programs.set(program.pid, program);
    void program.exited.then((exit) => {
      this.reply({ kind: "exited", pid: program.pid, exit });
      // Kept a little longer, so a failing check can still ask what it printed.
      setTimeout(() => this.programs.delete(program.pid), 60_000).unref();
    });
    trace(`program started (pid ${program.pid})`);
    const readiness = await waitUntilReady(program, { transport: spec.transport, port, timeoutMs: spec.startTimeoutMs });
    trace(`program ready: ${readiness.ready}`);
    if (readiness.ready) return { ok: true, program, port };
    await program.stop();
    const where = `127.0.0.1:${port}`;
    const listen = spec.transport === "tcp" ? "listened on" : "bound UDP port";
    if (readiness.reason === "exited") {
      return {
        ok: false,
        pid: program.pid,
        failure: {
          message: `your program ${describeExit(readiness.exit)} before it ${listen} ${where}`,
          details: [],
          hint: "a server keeps running until it gets SIGTERM: create the server, listen, and let the event loop run. Its output below may say why it stopped.",
        },
      };
    }
    const elsewhere = readiness.boundElsewhere;
    const tcp = spec.transport === "tcp";
    const ipv6Only = readiness.ipv6OnlyHere;
    return {
      ok: false,
      pid: program.pid,
      failure: {
        message: ipv6Only
          ? `your program ${tcp ? "listens on" : "bound"} ${ipv6Only}, for IPv6 only: a client of ${where} cannot reach it`
          : `your program did not ${tcp ? "listen on" : "bind"} ${where} within ${spec.startTimeoutMs} ms`,
        details: !ipv6Only && elsewhere.length > 0 ? [`it ${tcp ? "listens on" : "bound"} port ${elsewhere.join(", ")} instead`] : [],
        hint: ipv6Only
          ? `${tcp ? "listen" : "bind"} on 127.0.0.1, on 0.0.0.0, or on "::" dual-stack (the Node default; Python: socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True)).`
          : elsewhere.length > 0
            ? 'use the port the grader gives you: Number(process.env.PORT) in Node, int(os.environ["PORT"]) in Python.'
            : `call ${tcp ? "server.listen" : "socket.bind"}(Number(process.env.PORT)) when the program starts; nothing may block before it.`,
      },
    };
  }
}
