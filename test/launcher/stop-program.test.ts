import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../grader/launcher/free-port.ts";
import { isAlive, processTree } from "../../grader/launcher/process-tree.ts";
import { startProgram, type RunningProgram, type StartOptions } from "../../grader/launcher/start-program.ts";
import { waitUntilReady } from "../../grader/launcher/wait-ready.ts";
import { ROOT, commandOf, fixture, hostile, killIfAlive, programEnv, tcpPortIsFree, temporaryDir, waitFor } from "./helpers.ts";

const hasProc = existsSync("/proc/net/tcp");
const cache = temporaryDir("stop");
afterAll(() => cache.remove());

async function start(spec: StartOptions["spec"], port: number): Promise<RunningProgram> {
  const started = await startProgram({ spec, cwd: ROOT, env: programEnv({ PORT: String(port) }), cacheDir: cache.path });
  if (!started.ok) throw new Error(started.message);
  return started.program;
}

describe("RunningProgram.stop", () => {
  it.skipIf(!hasProc)("ends the detached child a program left holding the port after it exited on its own", async () => {
    const port = await freePort("tcp");
    const program = await start({ kind: "typescript", file: hostile("child-keeps-port.ts") }, port);
    let orphan: number | undefined;
    try {
      expect(await waitUntilReady(program, { transport: "tcp", port, timeoutMs: 5000 })).toMatchObject({ ready: true });
      expect(await program.exited).toEqual({ code: 0, signal: null, stoppedByGrader: false });
      orphan = Number(/spawned listener pid (\d+)/.exec(program.output.text())?.[1]);
      expect(isAlive(orphan)).toBe(true);
      expect(await tcpPortIsFree(port)).toBe(false);

      await program.stop();

      expect(isAlive(orphan)).toBe(false);
      expect(await tcpPortIsFree(port)).toBe(true);
    } finally {
      killIfAlive(orphan);
      await program.stop();
    }
  });

  it.skipIf(!hasProc)("ends the shell and the sleep of a command line", async () => {
    const port = await freePort("tcp");
    const program = await start({ kind: "command", command: "sh test/fixtures/hostile/sleeps-forever.sh" }, port);
    let tree: number[] = [];
    try {
      await waitFor("the sleep", () => processTree(program.pid).some((pid) => commandOf(pid) === "sleep"));
      tree = processTree(program.pid);
      // The line is written before the exec, but its pipe may be read a moment after.
      await waitFor("its line", () => program.output.text() !== "");
      expect(program.output.text()).toBe(`sleeping instead of listening on port ${port}\n`);

      const exit = await program.stop();

      expect(exit.stoppedByGrader).toBe(true);
      expect(tree.filter(isAlive)).toEqual([]);
    } finally {
      await program.stop(100);
      for (const pid of tree) killIfAlive(pid);
    }
  });

  it("kills a program that ignores SIGTERM once the grace period is over", async () => {
    const port = await freePort("tcp");
    const program = await start({ kind: "typescript", file: fixture("ignores-sigterm.ts") }, port);
    try {
      // Ready means it has run its first line: the SIGTERM handler is in place.
      expect(await waitUntilReady(program, { transport: "tcp", port, timeoutMs: 5000 })).toMatchObject({ ready: true });
      const started = Date.now();
      const exit = await program.stop(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(exit).toEqual({ code: null, signal: "SIGKILL", stoppedByGrader: true });
      expect(await tcpPortIsFree(port)).toBe(true);
    } finally {
      await program.stop(100);
    }
  });

  it("may be called again, and at the same time, with the same answer", async () => {
    const port = await freePort("tcp");
    const program = await start({ kind: "typescript", file: hostile("never-listens.ts") }, port);
    try {
      await waitFor("its first line", () => program.output.text().includes("thinking"));
      const [first, second] = await Promise.all([program.stop(), program.stop()]);
      expect(first).toEqual({ code: null, signal: "SIGTERM", stoppedByGrader: true });
      expect(second).toBe(first);
      expect(await program.stop()).toBe(first);
    } finally {
      await program.stop(100);
    }
  });
});
