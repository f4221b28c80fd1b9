import { readFileSync } from "node:fs";
import { processTree } from "./process-tree.ts";
import type { RunningProgram } from "./start-program.ts";

const EVERY_MS = 100;
/** The whole process tree is looked up once a second; the program itself every time. */
const TREE_EVERY = 10;

/**
 * Stops a program that eats memory before it eats the machine's: every
 * 100 ms the resident memory of the program and its children is added up
 * from /proc, and past the limit the program is stopped, with the amount
 * kept for the diagnosis. Without /proc there is nothing to read and no limit.
 */
export function watchMemory(program: RunningProgram, limitBytes: number): void {
  // Finding children means reading every process in /proc: too dear to do ten times a second for each program.
  let tick = 0;
  let tree = [program.pid];
  const timer = setInterval(() => {
    if (!program.running) {
      clearInterval(timer);
      return;
    }
    if (tick++ % TREE_EVERY === 0) tree = processTree(program.pid);
    const used = residentBytes(tree);
    if (used > limitBytes) {
      clearInterval(timer);
      void program.stopForMemory(used);
    }
  }, EVERY_MS);
  timer.unref();
  void program.exited.then(() => clearInterval(timer));
}

function residentBytes(pids: number[]): number {
  let total = 0;
  for (const p of pids) {
    try {
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p}/status`, "latin1"))?.[1];
      total += Number(kib ?? 0) * 1024;
    } catch {
      // Gone, or no /proc: it counts for nothing.
    }
  }
  return total;
}
