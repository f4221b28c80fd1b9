/**
 * A mistake in how the CLI was called (unknown exercise, bad flag, broken
 * input file). The CLI prints the message and exits 2, never a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
