import type { ExitInfo } from "./start-program.ts";

/** "exited with code 1", "was killed by SIGSEGV", "used 1,100 MiB of memory, more than allowed, and was stopped". */
export function describeExit(exit: ExitInfo): string {
  if (exit.overMemoryBytes !== undefined) {
    return `used ${Math.round(exit.overMemoryBytes / 1024 / 1024).toLocaleString("en-US")} MiB of memory, more than the grader allows, and was stopped`;
  }
  return exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
}
