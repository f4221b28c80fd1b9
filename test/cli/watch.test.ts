import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeWorkingCopy } from "../support/working-copy.ts";
import { loadCourse } from "../../grader/course/manifest.ts";

const course = loadCourse();
const [first, second] = course.exercises as [(typeof course.exercises)[0], (typeof course.exercises)[0]];
const total = course.exercises.length;

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
    let at = await waitForOutput(read, new RegExp(`${first.id}: 0 of \\d+ checks passed[\\s\\S]*h hint · l list · n next · r re-run · x reset · q quit \\(type a letter and Enter\\)`), 0, 10_000);
    expect(screen).toContain(`socketlings · lesson ${first.lesson.number}: ${first.lesson.title} · exercise 1 of ${total}: ${first.id}`);

    copyFileSync(path.join(copy.dir, first.solution), path.join(copy.dir, first.file));
    at = await waitForOutput(read, new RegExp(`${first.id}: all \\d+ checks passed`), at, 10_000);
    at = await waitForOutput(read, new RegExp(`Well done! Press n for the next exercise: ${second.id}\\.`), at, 2000);

    child.stdin?.write("h\n");
    at = await waitForOutput(read, new RegExp(`Hint 1 of ${first.hints.length} for ${first.id}`), at, 2000);
    child.stdin?.write("n\n");
    at = await waitForOutput(read, new RegExp(`exercise 2 of ${total}: ${second.id}[\\s\\S]*${second.id}: 0 of \\d+ checks passed`), at, 10_000);
    child.stdin?.write("q\n");
    const result = await child;
    expect(result.exitCode).toBe(0);
  } finally {
    child.kill();
  }
  const progress = JSON.parse(readFileSync(path.join(copy.dir, ".socketlings/progress.json"), "utf8"));
  expect(Object.keys(progress.done)).toEqual([first.id]);
  expect(progress.current).toBe(second.id);
  expect(progress.hintsShown[first.id]).toBe(1);
});
