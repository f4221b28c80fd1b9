import { readFileSync, readdirSync } from "node:fs";

/**
 * The pid and every descendant of it, found through /proc. Collected before a
 * teardown so that a child which left the process group (setsid, detached)
 * is still ended: its parent is gone by the time we look again.
 */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [rootPid];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // The command name is in parentheses and may itself contain spaces or ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/**
 * True while a process with this pid exists and has not finished exiting. A
 * multi-threaded process (Node is one) shows its leader as a zombie as soon
 * as the main thread ends, while other threads still hold its files and
 * sockets: it is gone only when every thread is.
 */
export function isAlive(pid: number): boolean {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    // No /proc (macOS): signal 0 tells whether the pid exists.
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return threads.some((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "latin1");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  });
}

/**
 * True once a process has begun to exit: its main thread is a zombie (or it
 * is gone), even while other threads are still being torn down. Unlike
 * isAlive, this answers "did it die?" as early as the kernel can tell.
 */
export function hasBegunExiting(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return !isAlive(pid);
  }
}

/**
 * Processes whose environment holds `NAME=value`. Every program the grader
 * starts gets a unique marker that its descendants inherit, so a child that
 * escaped the process group and lost its parent is still known to be ours.
 */
export function processesMarked(name: string, value: string): number[] {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`)]);
      if (environ.includes(needle)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
