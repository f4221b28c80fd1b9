import type {} from "vitest";
import type { Timeouts } from "../course/manifest.ts";
import type { ProgramSpec } from "../launcher/start-program.ts";
import { launchKey, type LaunchSpec } from "../launcher/supervisor-protocol.ts";

/**
 * What the CLI tells the checks, through vitest's `provide`: which program
 * to grade for each exercise, and how. Plain data, copied into each worker.
 */
export interface GradeTarget {
  exerciseId: string;
  transport: "tcp" | "udp";
  /** A server is started once and shared by the checks; a client is run by each check. */
  role: "server" | "client";
  spec: ProgramSpec;
  cwd: string;
  /** The program's environment, before PORT and the exercise's variables. */
  env: Record<string, string>;
  exerciseEnv: Record<string, string>;
  cacheDir: string;
  timeouts: Timeouts;
  /** Learners see the first failure fast; instructors want every check run. */
  stopAtFirstFailure: boolean;
  seed: string;
  /** All checks of the exercise together may take this long (grade-class); later checks then fail at once. */
  timeLimitMs?: number;
}

declare module "vitest" {
  interface ProvidedContext {
    targets: Record<string, GradeTarget>;
  }
}

/**
 * How the supervisor should start the program for this target. `early`
 * names it so that a program the CLI started ahead of time can be claimed.
 */
export function launchSpecOf(target: GradeTarget, early: boolean): LaunchSpec {
  return {
    ...(early ? { key: launchKey(target.exerciseId, target.spec, target.cwd) } : {}),
    transport: target.transport,
    spec: target.spec,
    cwd: target.cwd,
    env: { ...target.env, ...target.exerciseEnv },
    cacheDir: target.cacheDir,
    startTimeoutMs: target.timeouts.startMs,
  };
}
