import { existsSync } from "node:fs";
import { hasBegunExiting, processTree } from "../launcher/process-tree.ts";
import { readProcSockets, socketInodesOf } from "../launcher/proc-net.ts";

/**
 * What the program under test does with one connection, as Linux sees it:
 * whether it has accepted it (its server-side socket has an inode) and
 * whether it has let it go again (no process of it holds that inode). This
 * lets a check wait exactly as long as the program needs, instead of a fixed
 * sleep that is too short for some and too long for all.
 */
export const canWatchServerSide = existsSync("/proc/net/tcp");

/** The inode of the program's end of the connection from `clientPort`, once accepted. */
export async function acceptedInode(serverPort: number, clientPort: number, limitMs: number): Promise<number | undefined> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const inode = readProcSockets("tcp").find((s) => s.localPort === serverPort && s.remotePort === clientPort)?.inode;
    if (inode || Date.now() >= deadline) return inode || undefined;
    await sleep(2);
  }
}

/** Resolves when no process of the program holds `inode` (it closed it, or died), or after `limitMs`. */
export async function released(pid: number, inode: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    // A process that has begun to exit lets go of everything: no need to wait for the rest.
    const holders = processTree(pid).filter((p) => !hasBegunExiting(p));
    if (!holders.some((p) => socketInodesOf(p).has(inode))) return;
    await sleep(2);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
