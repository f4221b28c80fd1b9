import type { FailureDetails } from "./check-record.ts";

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  durationMs: number;
  transcript: string[];
  failure?: FailureDetails;
  /** Why a check did not run ("an earlier check failed"). */
  note?: string;
}

export interface ExerciseResult {
  exerciseId: string;
  /** What was graded: the file, or the command given with --cmd. */
  program: string;
  passed: boolean;
  checks: CheckResult[];
  durationMs: number;
  /** The check file itself broke: a bug in the course, never the learner's. */
  internalError?: string;
}
