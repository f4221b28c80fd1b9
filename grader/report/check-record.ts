import type {} from "@vitest/runner";
/**
 * What one check hands to the reporters, through vitest's task meta: the
 * exchanges it made and, when it failed, why. Plain data, so it crosses
 * from the worker thread to the CLI intact.
 */
export interface CheckRecord {
  transcript: string[];
  failure?: FailureDetails;
}

export interface FailureDetails {
  /** One line: what happened (also the last transcript line, usually). */
  message: string;
  /** Lines that explain the message (a compiler error, the port the program used instead). */
  details: string[];
  expected: string[];
  hint?: string;
  /** The program's latest output, when it printed anything; `complete` when these lines are all of it. */
  output?: { lines: string[]; totalBytes: number; complete: boolean };
  /** True when the grader itself broke: a bug to report, not the learner's fault. */
  internal?: boolean;
}

declare module "@vitest/runner" {
  interface TaskMeta {
    socketlings?: CheckRecord;
  }
}
