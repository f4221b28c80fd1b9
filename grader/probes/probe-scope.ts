import { Transcript } from "./transcript.ts";

/**
 * What the probes of one check share: the transcript, the read timeout,
 * client numbering ([client-1], [client-2], ...) and the cleanups that close
 * every socket when the check ends, whatever happened.
 */
export class ProbeScope {
  readonly transcript = new Transcript();
  readonly readTimeoutMs: number;
  private clients = 0;
  private cleanups: (() => void)[] = [];
  private exitWatchers = new Set<() => void>();
  /** Set when the program under test exits during this check: waiting for it is then pointless. */
  programGone = false;
  /** How it ended, in words ("exited with code 1"). */
  programEnd = "exited";

  constructor(readTimeoutMs: number) {
    this.readTimeoutMs = readTimeoutMs;
  }

  nextLabel(): string {
    this.clients += 1;
    return `client-${this.clients}`;
  }

  track(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Called by the harness when the program exits; wakes every probe that waits for it. */
  programExited(how = "exited"): void {
    this.programGone = true;
    this.programEnd = how;
    for (const wake of this.exitWatchers) wake();
  }

  /** Registers a waiter to wake when the program exits; returns the unregister function. */
  onProgramExit(wake: () => void): () => void {
    this.exitWatchers.add(wake);
    return () => this.exitWatchers.delete(wake);
  }

  /**
   * A probe's wait for something that may never come: resolves after `ms`,
   * when the program exits, or when the probe calls the wake function it is
   * handed through `setWake` (new data, a close). `setWake` gets undefined
   * once the wait is over.
   */
  nap(ms: number, setWake: (wake: (() => void) | undefined) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopWatching();
        setWake(undefined);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const stopWatching = this.onProgramExit(done);
      setWake(done);
    });
  }

  closeAll(): void {
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // A socket that is already closed has nothing left to clean.
      }
    }
  }
}
