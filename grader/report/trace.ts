/**
 * Phase timings for performance work: with SOCKETLINGS_TRACE=1 set, each
 * call prints "[trace] <label> <ms since the process started>" to stderr.
 */
const enabled = process.env.SOCKETLINGS_TRACE === "1";

export function trace(label: string): void {
  if (enabled) process.stderr.write(`[trace] ${label} ${Math.round(performance.now())} ms\n`);
}
