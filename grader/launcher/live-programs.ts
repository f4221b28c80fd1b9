/**
 * Every program this process started and that has not exited yet. Kept apart
 * from the launcher, so the CLI can clean up on exit without loading it.
 */
export const livePrograms = new Set<number>();

/** SIGKILL to every live program's group: for process exit, where nothing can be awaited. */
export function killLiveProgramsNow(): void {
  for (const pid of livePrograms) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
