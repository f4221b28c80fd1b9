import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeWorkingCopy } from "../support/working-copy.ts";

let copy: ReturnType<typeof makeWorkingCopy>;
beforeAll(() => {
  copy = makeWorkingCopy();
});
afterAll(() => copy.remove());

/** Resolves when `pattern` shows up in what the process printed after `from`. */
function waitForOutput(read: () => string, pattern: RegExp, from: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const text = read();
      const match = pattern.exec(text.slice(from));
      if (match) {
        clearInterval(timer);
        resolve(from + match.index + match[0].length);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`waited ${timeoutMs} ms for ${pattern}; the screen says:\n${text.slice(from)}`));
      }
    }, 5);
  });
}

it("watch grades on start and on every save, moves on with n, quits with q", async () => {
  const child = execa(process.execPath, ["bin/socketlings.mjs"], { cwd: copy.dir, env: { NO_COLOR: "1" }, stdin: "pipe", all: true, buffer: true, reject: false });
  let screen = "";
  child.all?.on("data", (chunk: Buffer) => (screen += chunk.toString()));
  const read = () => screen;
  try {
    let at = await waitForOutput(read, /welcome-server: 0 of 5 checks passed[\s\S]*h hint · l list · n next · r re-run · x reset · q quit \(type a letter and Enter\)/, 0, 10_000);
    expect(screen).toMatch(/socketlings · lesson 4: Sockets: the API · exercise 1 of 3: welcome-server/);

    copyFileSync(path.join(copy.dir, "solutions/04-sockets/welcome-server.ts"), path.join(copy.dir, "exercises/04-sockets/welcome-server.ts"));
    at = await waitForOutput(read, /welcome-server: all 5 checks passed/, at, 10_000);
    at = await waitForOutput(read, /Well done! Press n for the next exercise: echo-server\./, at, 2000);

    child.stdin?.write("h\n");
    at = await waitForOutput(read, /Hint 1 of 3 for welcome-server/, at, 2000);
    child.stdin?.write("n\n");
    at = await waitForOutput(read, /exercise 2 of 3: echo-server[\s\S]*echo-server: 0 of 8 checks passed/, at, 10_000);
    child.stdin?.write("q\n");
    const result = await child;
    expect(result.exitCode).toBe(0);
  } finally {
    child.kill();
  }
  const progress = JSON.parse(readFileSync(path.join(copy.dir, ".socketlings/progress.json"), "utf8"));
  expect(Object.keys(progress.done)).toEqual(["welcome-server"]);
  expect(progress.current).toBe("echo-server");
  expect(progress.hintsShown["welcome-server"]).toBe(1);
});
