import type { ExitInfo, ProgramSpec } from "./start-program.ts";

/**
 * Messages between the checks (in vitest's worker threads) and the program
 * supervisor (in the CLI's main thread), over one BroadcastChannel. Every
 * reply carries the id of its request; exit notices go to everyone.
 */
export const SUPERVISOR_CHANNEL = "socketlings:supervisor";

export interface LaunchSpec {
  /** Programs started ahead of time are matched to requests by this key; none means a fresh start. */
  key?: string;
  transport: "tcp" | "udp";
  spec: ProgramSpec;
  cwd: string;
  env: Record<string, string>;
  cacheDir: string;
  startTimeoutMs: number;
}

export interface StartFailure {
  message: string;
  details: string[];
  hint: string;
  /** The grader failed, not the program: reported as a bug in socketlings. */
  internal?: boolean;
}

/** What a client program did in one run. */
export interface ClientRun {
  pid: number;
  exit: ExitInfo;
  /** It was still running at the time limit, and was stopped. */
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Cut to the last MiB when the program printed more. */
  truncated: boolean;
}

export type Request =
  | { kind: "start"; id: number; launch: LaunchSpec }
  | { kind: "run"; id: number; launch: LaunchSpec; args: string[]; timeoutMs: number }
  | { kind: "stop"; id: number; pid: number }
  | { kind: "output"; id: number; pid: number };

export type Reply =
  | { kind: "started"; id: number; pid: number; port: number; description: string }
  | { kind: "start-failed"; id: number; failure: StartFailure; pid?: number }
  | { kind: "ran"; id: number; run: ClientRun }
  | { kind: "stopped"; id: number; exit: ExitInfo | undefined }
  | { kind: "output"; id: number; lines: string[]; totalBytes: number; complete: boolean }
  | { kind: "exited"; pid: number; exit: ExitInfo };

export function launchKey(exerciseId: string, spec: ProgramSpec, cwd: string): string {
  return JSON.stringify([exerciseId, spec, cwd]);
}
