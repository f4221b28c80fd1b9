import type { ExitInfo } from "./start-program.ts";

/** "exited with code 1", "was killed by SIGSEGV". */
export function describeExit(exit: ExitInfo): string {
  return exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
}
