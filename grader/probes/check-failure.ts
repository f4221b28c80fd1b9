/**
 * The learner's program did something other than the contract says. Thrown by
 * probes and checks; the harness adds the transcript and the program's output.
 * This is a result, not a grader error.
 */
export class CheckFailure extends Error {
  /** One line: what happened. Shown after the transcript. */
  readonly happened: string;
  readonly expected: string[];
  readonly hint: string | undefined;
  /** Lines that explain the message: a compiler error, the ports a program did bind. */
  readonly details: string[];
  /**
   * The run whose output the report shows, when a check ran the program more
   * than once: set by the check that judged that run. Otherwise the latest.
   */
  outputOf: number | undefined;

  constructor(happened: string, details: { expected?: string | string[]; hint?: string | undefined; details?: string[] } = {}) {
    super(happened);
    this.name = "CheckFailure";
    this.happened = happened;
    this.details = details.details ?? [];
    this.expected = details.expected === undefined ? [] : Array.isArray(details.expected) ? details.expected : [details.expected];
    this.hint = details.hint;
  }
}

/**
 * Judges one of several runs of a client program: a failure it throws shows
 * that run's output in the report, not the output of whichever run ended last.
 */
export function judgingRun<T>(run: { pid: number }, judge: () => T): T {
  try {
    return judge();
  } catch (error) {
    if (error instanceof CheckFailure) error.outputOf ??= run.pid;
    throw error;
  }
}
