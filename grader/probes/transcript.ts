/**
 * Every exchange of one check, in order, each line naming its source:
 * `[client-2] sent "hi\n"`, `[your program] exited with code 1`.
 */
export class Transcript {
  readonly lines: string[] = [];
  /** What the check is doing right now, for a watchdog to report. */
  pending = "starting";

  add(source: string, text: string): void {
    this.lines.push(`[${source}] ${text}`);
  }

  /** Marks the step the check is on; a timeout names it. */
  step(description: string): void {
    this.pending = description;
  }
}
