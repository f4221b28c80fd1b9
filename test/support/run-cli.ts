import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { readProcSockets, socketInodesOf } from "../../grader/launcher/proc-net.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin", "socketlings.mjs");

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs the CLI as a learner would, in its own process, from `cwd` (the repo by default). */
export async function runCli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  const started = Date.now();
  const result = await execa(process.execPath, [options.cwd ? path.join(options.cwd, "bin", "socketlings.mjs") : BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    reject: false,
    input: options.input ?? "",
    env: { NO_COLOR: "1", ...options.env },
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, durationMs: Date.now() - started };
}

export interface JsonCheck {
  name: string;
  status: "passed" | "failed" | "skipped";
  message: string | null;
  hint: string | null;
  details: string[];
  expected: string[];
  transcript: string[];
  output: { lines: string[]; totalBytes: number } | null;
  internal: boolean;
}

export interface JsonReport {
  exercise: string;
  program: string;
  passed: boolean;
  durationMs: number;
  checks: JsonCheck[];
}

/** `grade <exercise> --json ...`: the parsed report, and the run around it. */
export async function gradeJson(exercise: string, args: string[]): Promise<CliRun & { report: JsonReport }> {
  const run = await runCli(["grade", exercise, "--json", ...args]);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`grade ${exercise} ${args.join(" ")} printed no JSON (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
  return { ...run, report };
}

/** The first check that failed: the one a learner reads first. */
export function firstFailure(report: JsonReport): JsonCheck {
  const failed = report.checks.find((c) => c.status === "failed");
  if (!failed) throw new Error(`expected a failing check in ${report.exercise}, all passed`);
  return failed;
}

/** Everything a learner would read about a failed check, as one text to search. */
export function failureText(check: JsonCheck): string {
  return [...check.transcript, check.message ?? "", ...check.details, ...check.expected, check.hint ?? "", ...(check.output?.lines ?? [])].join("\n");
}

/** Ports the grader gave the program, read from "[grader] started ... with PORT=N". */
export function portsGiven(report: JsonReport): number[] {
  return report.checks.flatMap((c) => c.transcript.flatMap((l) => [...l.matchAll(/with PORT=(\d+)/g)].map((m) => Number(m[1]))));
}

/**
 * How a fixture shows in a process's command line: a Python or shell one by
 * its own path, a TypeScript one by the file the grader compiled it to
 * (launcher/compile-typescript.ts names it after a hash of the source path).
 */
function commandLineMark(fixture: string): string {
  const source = path.join(ROOT, "test", "fixtures", fixture);
  if (!fixture.endsWith(".ts")) return path.join("test", "fixtures", fixture);
  return `${path.basename(fixture, ".ts")}-${createHash("sha1").update(source).digest("hex").slice(0, 10)}.mjs`;
}

/**
 * After the CLI has exited: no process runs from the fixture (its path under
 * test/fixtures, e.g. "echo-server/sequential-accept.py"), and no port the
 * program was given is still bound. (Linux only; elsewhere it checks nothing.)
 */
export function expectNothingLeft(report: JsonReport, fixture: string): string[] {
  const mark = commandLineMark(fixture);
  const problems: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ");
      if (cmdline.includes(mark)) problems.push(`process ${pid} still runs: ${cmdline}`);
    } catch {
      // Gone.
    }
  }
  const bound = [...readProcSockets("tcp").filter((s) => s.state === 0x0a), ...readProcSockets("udp")];
  for (const port of portsGiven(report)) {
    const inodes = new Set(bound.filter((s) => s.localPort === port).map((s) => s.inode));
    if (inodes.size === 0) continue;
    // Other tests run alongside, and their sockets may get the same port number
    // (a UDP client's ephemeral port, say): only a process that was given this
    // port by the grader, or its child, counts as left over.
    const owners = socketOwners(inodes);
    if (owners.length === 0 || owners.some((pid) => givenPort(pid, port))) problems.push(`port ${port} is still bound`);
  }
  return problems;
}

/** The processes holding any of these socket inodes. */
function socketOwners(inodes: Set<number>): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => [...socketInodesOf(pid)].some((inode) => inodes.has(inode)));
}

/** Whether the grader started this process (or its parent) with PORT=port. */
function givenPort(pid: number, port: number): boolean {
  try {
    const environ = `\0${readFileSync(`/proc/${pid}/environ`, "latin1")}`;
    return environ.includes(`\0PORT=${port}\0`) && environ.includes("\0SOCKETLINGS_RUN_ID=");
  } catch {
    // Gone since, or not ours to read: count it, to be safe.
    return true;
  }
}
