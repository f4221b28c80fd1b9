import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../grader/launcher/free-port.ts";
import { startProgram, type RunningProgram, type StartOptions } from "../../grader/launcher/start-program.ts";
import { shellQuote } from "../../grader/launcher/shell-quote.ts";
import { livePrograms } from "../../grader/launcher/live-programs.ts";
import { waitUntilReady } from "../../grader/launcher/wait-ready.ts";
import { ECHO_SOLUTION, ROOT, fixture, hostile, programEnv, tcpPortIsFree, temporaryDir, waitFor } from "./helpers.ts";

const cache = temporaryDir("start");
afterAll(() => cache.remove());

async function start(file: string, options: Partial<StartOptions> = {}): Promise<RunningProgram> {
  const started = await startProgram({ spec: { kind: "typescript", file }, cwd: ROOT, env: programEnv(), cacheDir: cache.path, ...options });
  if (!started.ok) throw new Error(started.message);
  return started.program;
}

describe("startProgram", () => {
  it("starts a TypeScript server that listens on PORT; stop() ends it and frees the port", async () => {
    const port = await freePort("tcp");
    const program = await start(ECHO_SOLUTION, { env: programEnv({ PORT: String(port) }) });
    try {
      expect(program.running).toBe(true);
      expect(livePrograms.has(program.pid)).toBe(true);
      expect(await waitUntilReady(program, { transport: "tcp", port, timeoutMs: 5000 })).toMatchObject({ ready: true });
      expect(program.description).toBe(path.join("solutions", "04-sockets", "echo-server.ts"));
    } finally {
      const exit = await program.stop();
      expect(exit).toEqual({ code: null, signal: "SIGTERM", stoppedByGrader: true });
    }
    expect(program.running).toBe(false);
    expect(livePrograms.has(program.pid)).toBe(false);
    expect(await tcpPortIsFree(port)).toBe(true);
  });

  it("records an exit on its own as not stopped by the grader", async () => {
    const program = await start(hostile("exits-at-once.ts"));
    try {
      expect(await program.exited).toEqual({ code: 3, signal: null, stoppedByGrader: false });
      expect(program.exit).toEqual({ code: 3, signal: null, stoppedByGrader: false });
      expect(program.output.text()).toBe("starting\n");
    } finally {
      await program.stop();
    }
  });

  it("says the program does not compile, with the compiler's message, and starts nothing", async () => {
    const broken = temporaryDir("broken");
    try {
      const file = path.join(broken.path, "oops.ts");
      writeFileSync(file, "const = 1;\n");
      const started = await startProgram({ spec: { kind: "typescript", file }, cwd: ROOT, env: programEnv(), cacheDir: cache.path });
      expect(started.ok).toBe(false);
      expect(!started.ok && started.message).toMatch(/^your program does not compile:\noops\.ts:1:7: /);
    } finally {
      broken.remove();
    }
  });

  it("gives the program exactly the environment passed, plus SOCKETLINGS_RUN_ID", async () => {
    const program = await start(fixture("prints-env.ts"), { env: { PORT: "4000", GREETING: "hi there" } });
    try {
      expect(await program.exited).toMatchObject({ code: 0 });
      const env = JSON.parse(program.output.text()) as Record<string, string>;
      expect(Object.keys(env).sort()).toEqual(["GREETING", "PORT", "SOCKETLINGS_RUN_ID"]);
      expect(env).toMatchObject({ PORT: "4000", GREETING: "hi there" });
      expect(env.SOCKETLINGS_RUN_ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    } finally {
      await program.stop();
    }
  });

  it("gives every launch its own SOCKETLINGS_RUN_ID", async () => {
    const [a, b] = await Promise.all([start(fixture("prints-env.ts"), { env: {} }), start(fixture("prints-env.ts"), { env: {} })]);
    try {
      await Promise.all([a.exited, b.exited]);
      const idOf = (p: RunningProgram) => (JSON.parse(p.output.text()) as Record<string, string>).SOCKETLINGS_RUN_ID;
      expect(idOf(a)).not.toBe(idOf(b));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("keeps a bounded tail of a program that prints without end, and counts every byte", async () => {
    const capBytes = 4096;
    const port = await freePort("tcp");
    const program = await start(hostile("prints-forever.ts"), { env: programEnv({ PORT: String(port) }), outputCapBytes: capBytes });
    let largestChunk = 0;
    program.output.onData((chunk) => (largestChunk = Math.max(largestChunk, chunk.length)));
    try {
      await waitFor("100 KB of output", () => program.output.totalBytes > 100_000, 5000);
      const kept = Buffer.byteLength(program.output.text());
      expect(program.output.truncated).toBe(true);
      expect(kept).toBeGreaterThanOrEqual(capBytes);
      expect(kept).toBeLessThanOrEqual(capBytes + largestChunk);
      // The latest lines, in order: the early ones are gone.
      const numbers = [...program.output.text().matchAll(/line (\d+):/g)].map((m) => Number(m[1]));
      expect(numbers[0]).toBeGreaterThan(0);
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    } finally {
      await program.stop();
    }
  });

  it("runs a command line through the shell in cwd, with the environment given", async () => {
    const started = await startProgram({ spec: { kind: "command", command: 'echo "$GREETING from $(pwd)"' }, cwd: ROOT, env: programEnv({ GREETING: "hello" }), cacheDir: cache.path });
    if (!started.ok) throw new Error(started.message);
    try {
      expect(await started.program.exited).toMatchObject({ code: 0, stoppedByGrader: false });
      expect(started.program.output.text()).toBe(`hello from ${ROOT}\n`);
      expect(started.program.description).toBe('echo "$GREETING from $(pwd)"');
    } finally {
      await started.program.stop();
    }
  });

  it("quotes arguments for the shell so they arrive unchanged", async () => {
    const args = ["plain", "two words", "it's", "$HOME", ""];
    const started = await startProgram({ spec: { kind: "command", command: 'printf "[%s]"' }, args, cwd: ROOT, env: programEnv(), cacheDir: cache.path });
    if (!started.ok) throw new Error(started.message);
    try {
      await started.program.exited;
      expect(started.program.output.text()).toBe("[plain][two words][it's][$HOME][]");
    } finally {
      await started.program.stop();
    }
  });
});

describe("shellQuote", () => {
  it("leaves safe words alone and single-quotes the rest", () => {
    expect(shellQuote("file.ts")).toBe("file.ts");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
