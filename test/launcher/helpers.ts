import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: programs are started from here, as the CLI does. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A misbehaving program shared with the grader tests (test/fixtures/hostile/). */
export const hostile = (name: string): string => path.join(ROOT, "test", "fixtures", "hostile", name);

/** A tiny program written for the launcher tests alone. */
export const fixture = (name: string): string => path.join(ROOT, "test", "launcher", "fixtures", name);

export const ECHO_SOLUTION = path.join(ROOT, "solutions", "04-sockets", "echo-server.ts");

/** Just enough environment for a program and the shell: nothing of vitest's. */
export function programEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOST: "127.0.0.1", ...extra };
}

export function temporaryDir(prefix: string): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `socketlings-${prefix}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls (never a fixed sleep) until the condition holds; fails naming what it waited for. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, limitMs = 3000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True when nothing holds the TCP port on 127.0.0.1: we can listen on it ourselves. */
export function tcpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The command name of a process, from /proc (Linux only). */
export function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Last resort in a finally: SIGKILL a process a test started, if it is still there. */
export function killIfAlive(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone: the test itself cleaned up.
  }
}
