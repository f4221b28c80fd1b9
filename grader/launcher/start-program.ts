import path from "node:path";
import { execa } from "execa";
import { compileTypeScript } from "./compile-typescript.ts";
import { OutputTail } from "./output-tail.ts";
import { livePrograms } from "./live-programs.ts";
import { shellQuote } from "./shell-quote.ts";
import { watchMemory } from "./memory-watchdog.ts";
import { randomUUID } from "node:crypto";
import { RUN_MARKER, stopProcessTree } from "./stop-program.ts";

/** What to run: a learner's TypeScript file, or any command line (`--cmd`). */
export type ProgramSpec = { kind: "typescript"; file: string } | { kind: "command"; command: string };

export interface StartOptions {
  spec: ProgramSpec;
  cwd: string;
  /** The whole environment of the program: nothing else is inherited. */
  env: Record<string, string>;
  args?: string[];
  cacheDir: string;
  outputCapBytes?: number;
  /** Stop the program (and say so) when it and its children use more memory than this. */
  memoryLimitBytes?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** True when the grader ended it; false when it exited on its own. */
  stoppedByGrader: boolean;
  /** Set when it was stopped for using more memory than allowed: how much it used. */
  overMemoryBytes?: number;
}

export type StartResult = { ok: true; program: RunningProgram } | { ok: false; message: string };

/** A started program: its own process group, its output captured and capped. */
export class RunningProgram {
  exit: ExitInfo | undefined;
  readonly pid: number;
  readonly description: string;
  /** Both streams as they arrived; `stdout` and `stderr` each on their own, for client programs. */
  readonly output: OutputTail;
  readonly stdout: OutputTail;
  readonly stderr: OutputTail;
  readonly exited: Promise<ExitInfo>;
  private readonly marker: string;
  private stopping = false;
  /** How much memory it had when it was stopped for using too much. */
  overMemoryBytes: number | undefined;

  constructor(pid: number, marker: string, description: string, streams: { output: OutputTail; stdout: OutputTail; stderr: OutputTail }, exited: Promise<ExitInfo>) {
    this.pid = pid;
    this.marker = marker;
    this.description = description;
    this.output = streams.output;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
    this.exited = exited;
    void exited.then((info) => (this.exit = info));
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * SIGTERM to the whole group and every descendant, SIGKILL after the grace
   * period. Always safe to call, any number of times.
   */
  async stop(graceMs = 1000): Promise<ExitInfo> {
    if (!this.stopping) {
      this.stopping = true;
      await stopProcessTree(this.pid, this.marker, this.exited, graceMs, this.exit !== undefined);
    }
    return this.exited;
  }

  /** Stopped by the grader as part of its work, not because of something the program did. */
  get stoppedByGrader(): boolean {
    return this.stopping && this.overMemoryBytes === undefined;
  }

  /** The memory watchdog's verdict: stop it, and remember why. */
  async stopForMemory(bytes: number): Promise<void> {
    this.overMemoryBytes ??= bytes;
    await this.stop(200);
  }
}

export async function startProgram(options: StartOptions): Promise<StartResult> {
  const streams = { output: new OutputTail(options.outputCapBytes), stdout: new OutputTail(options.outputCapBytes), stderr: new OutputTail(options.outputCapBytes) };
  let file: string;
  let args: string[];
  let shell = false;
  if (options.spec.kind === "typescript") {
    const compiled = await compileTypeScript(options.spec.file, options.cacheDir);
    if (!compiled.ok) return { ok: false, message: `your program does not compile:\n${compiled.message}` };
    file = process.execPath;
    args = ["--enable-source-maps", compiled.file, ...(options.args ?? [])];
  } else {
    // The shell parses the command line; our own arguments are quoted for it.
    file = [options.spec.command, ...(options.args ?? []).map(shellQuote)].join(" ");
    args = [];
    shell = true;
  }
  const marker = randomUUID();
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [RUN_MARKER]: marker },
    extendEnv: false,
    shell,
    // Its own process group, so one signal reaches tsx-like wrappers and their children.
    detached: true,
    stdin: "ignore",
    buffer: false,
    reject: false,
  });
  subprocess.stdout?.on("data", (chunk: Buffer) => {
    streams.stdout.push(chunk);
    streams.output.push(chunk);
  });
  subprocess.stderr?.on("data", (chunk: Buffer) => {
    streams.stderr.push(chunk);
    streams.output.push(chunk);
  });
  const pid = subprocess.pid;
  if (pid === undefined) {
    const result = await subprocess;
    return { ok: false, message: `cannot start ${describe(options.spec)}: ${result.message ?? "unknown error"}` };
  }
  livePrograms.add(pid);
  let program: RunningProgram | undefined = undefined;
  const exited = subprocess.then((result) => {
    livePrograms.delete(pid);
    const overMemoryBytes = program?.overMemoryBytes;
    return {
      code: result.exitCode ?? null,
      signal: result.signal ?? null,
      stoppedByGrader: program?.stoppedByGrader ?? false,
      ...(overMemoryBytes === undefined ? {} : { overMemoryBytes }),
    };
  });
  program = new RunningProgram(pid, marker, describe(options.spec, options.args), streams, exited);
  if (options.memoryLimitBytes !== undefined) watchMemory(program, options.memoryLimitBytes);
  return { ok: true, program };
}

/** How the transcript names a program: its file or command, and the arguments the grader gave it. */
function describe(spec: ProgramSpec, args: string[] = []): string {
  const program = spec.kind === "typescript" ? path.relative(process.cwd(), spec.file) || spec.file : spec.command;
  return [program, ...args.map(shellQuote)].join(" ");
}
