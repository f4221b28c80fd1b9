import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAlive, processTree, processesMarked } from "../../grader/launcher/process-tree.ts";
import { commandOf, killIfAlive, waitFor } from "./helpers.ts";

const hasProc = existsSync("/proc/net/tcp");

/** Starts `sh -c script` in its own group, so a finally can end the whole group. */
function shell(script: string, env: Record<string, string> = {}): ChildProcess & { pid: number } {
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore", env: { ...process.env, ...env } });
  return child as ChildProcess & { pid: number };
}

async function endGroup(child: ChildProcess & { pid: number }): Promise<void> {
  const gone = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is gone already.
  }
  await gone;
}

const stateOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
};

describe("processTree", () => {
  it.skipIf(!hasProc)("lists a shell and both of the sleeps it started", async () => {
    // `wait` keeps sh itself alive, so the tree is sh and its two children.
    const sh = shell("sleep 5 & sleep 5 & wait");
    try {
      await waitFor("both sleeps", () => processTree(sh.pid).length === 3);
      const [root, ...children] = processTree(sh.pid);
      expect(root).toBe(sh.pid);
      expect(children.map(commandOf)).toEqual(["sleep", "sleep"]);
    } finally {
      await endGroup(sh);
    }
  });

  it.skipIf(!hasProc)("lists grandchildren too, parents before children", async () => {
    const sh = shell("sh -c 'sleep 5 & wait' & wait");
    try {
      // A forked child is still "sh" until it execs sleep: wait for the tree to settle.
      await waitFor("the grandchild", () => processTree(sh.pid).map(commandOf).join(",") === "sh,sh,sleep");
      expect(processTree(sh.pid).map(commandOf)).toEqual(["sh", "sh", "sleep"]);
    } finally {
      await endGroup(sh);
    }
  });

  it("is just the pid for a process with no children", () => {
    expect(processTree(2 ** 30)).toEqual([2 ** 30]);
  });
});

describe("processesMarked", () => {
  it.skipIf(!hasProc)("finds the process whose environment carries the marker, and no other", async () => {
    const value = randomUUID();
    const marked = shell("exec sleep 5", { SOCKETLINGS_TEST_MARK: value });
    const other = shell("exec sleep 5", { SOCKETLINGS_TEST_MARK: randomUUID() });
    const unmarked = shell("exec sleep 5");
    try {
      await waitFor("the marked process", () => processesMarked("SOCKETLINGS_TEST_MARK", value).length > 0);
      expect(processesMarked("SOCKETLINGS_TEST_MARK", value)).toEqual([marked.pid]);
      // A value that is a prefix of the real one must not match.
      expect(processesMarked("SOCKETLINGS_TEST_MARK", value.slice(0, 8))).toEqual([]);
    } finally {
      await Promise.all([endGroup(marked), endGroup(other), endGroup(unmarked)]);
    }
  });

  it.skipIf(!hasProc)("finds a marked child that left its group and lost its parent", async () => {
    const value = randomUUID();
    // setsid puts sleep in a session of its own; sh exits at once, so sleep is reparented.
    const sh = shell("setsid sleep 5 & exit 0", { SOCKETLINGS_TEST_MARK: value });
    let orphan: number | undefined;
    try {
      await new Promise((resolve) => sh.once("exit", resolve));
      await waitFor("the orphan", () => processesMarked("SOCKETLINGS_TEST_MARK", value).length === 1);
      orphan = processesMarked("SOCKETLINGS_TEST_MARK", value)[0]!;
      // setsid execs sleep a moment after it is born: until then it is still "setsid".
      const found = orphan;
      await waitFor("setsid to exec sleep", () => commandOf(found) === "sleep");
      expect(processTree(sh.pid)).toEqual([sh.pid]);
    } finally {
      killIfAlive(orphan);
    }
  });
});

describe("isAlive", () => {
  it("is true for this process", () => {
    expect(isAlive(process.pid)).toBe(true);
  });

  it("is false once a process has exited and been reaped", async () => {
    const child = spawn("true", { stdio: "ignore" });
    const pid = child.pid!;
    await new Promise((resolve) => child.once("exit", resolve));
    await waitFor("the exit to be reaped", () => !isAlive(pid), 1000);
    expect(isAlive(pid)).toBe(false);
  });

  it.skipIf(!hasProc)("is false for a zombie nobody has reaped", async () => {
    // sleep 0 ends at once; its parent becomes `sleep 5` through exec, which never reaps it.
    const sh = shell("sleep 0 & exec sleep 5");
    try {
      await waitFor("the zombie", () => processTree(sh.pid).slice(1).some((pid) => stateOf(pid) === "Z"));
      const zombie = processTree(sh.pid).slice(1).find((pid) => stateOf(pid) === "Z")!;
      expect(isAlive(zombie)).toBe(false);
      expect(isAlive(sh.pid)).toBe(true);
    } finally {
      await endGroup(sh);
    }
  });
});
