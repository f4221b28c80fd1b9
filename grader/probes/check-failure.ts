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

  constructor(happened: string, details: { expected?: string | string[]; hint?: string | undefined; details?: string[] } = {}) {
    super(happened);
    this.name = "CheckFailure";
    this.happened = happened;
    this.details = details.details ?? [];
    this.expected = details.expected === undefined ? [] : Array.isArray(details.expected) ? details.expected : [details.expected];
    this.hint = details.hint;
  }
}
