import { isAlive, processTree, processesMarked } from "./process-tree.ts";

/** The environment variable that marks every process of one launch. */
export const RUN_MARKER = "SOCKETLINGS_RUN_ID";

/**
 * Ends a program we started and everything it started: SIGTERM first, then
 * SIGKILL for whatever is still alive after the grace period. Only our child,
 * its descendants and processes carrying this launch's marker are signalled.
 */
export async function stopProcessTree(pid: number, marker: string, exited: Promise<unknown>, graceMs: number, leaderExited: boolean): Promise<void> {
  // Once our child has exited and been reaped, its pid may belong to a stranger:
  // from then on only processes carrying our marker are ours to signal.
  const ours = () => [...new Set([...(leaderExited ? [] : processTree(pid)), ...processesMarked(RUN_MARKER, marker)])];
  const first = ours();
  signalAll(leaderExited ? undefined : pid, first, "SIGTERM");
  const allGone = Promise.all([exited, waitUntilGone(first.filter((p) => p !== pid), graceMs)]);
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
  const timedOut = await Promise.race([allGone.then(() => false), grace]);
  clearTimeout(timer);
  // Children may have been born during the grace period: look again.
  const left = ours().filter(isAlive);
  if (timedOut || left.length > 0) signalAll(leaderExited ? undefined : pid, [...new Set([...first, ...left])].filter(isAlive), "SIGKILL");
  await exited;
  await waitUntilGone(left, graceMs);
}

function signalAll(leader: number | undefined, pids: number[], signal: NodeJS.Signals): void {
  if (leader !== undefined) {
    try {
      process.kill(-leader, signal);
    } catch {
      // The group is already gone.
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

async function waitUntilGone(pids: number[], limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(10);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
