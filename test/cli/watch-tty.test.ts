import { spawnSync } from "node:child_process";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeWorkingCopy } from "../support/working-copy.ts";
import { loadCourse } from "../../grader/course/manifest.ts";

const course = loadCourse();
const first = course.exercises[0]!;

/** `script` (util-linux) gives watch a real terminal, so its single-key mode is what runs. */
const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

let copy: ReturnType<typeof makeWorkingCopy>;
beforeAll(() => {
  copy = makeWorkingCopy();
});
afterAll(() => copy.remove());

it.skipIf(!hasScript)(`watch in a terminal answers single keys: h, l, q${hasScript ? "" : " (skipped: script is not installed)"}`, async () => {
  const child = execa("script", ["-qfc", "node bin/socketlings.mjs", "/dev/null"], { cwd: copy.dir, env: { NO_COLOR: "1", TERM: "xterm" }, stdin: "pipe", all: true, reject: false, timeout: 30_000 });
  let screen = "";
  child.all?.on("data", (chunk: Buffer) => (screen += chunk.toString().replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, "")));
  const until = async (pattern: RegExp) => {
    const deadline = Date.now() + 15_000;
    while (!pattern.test(screen)) {
      if (Date.now() > deadline) throw new Error(`waited for ${pattern}; the screen says:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await until(/h hint · l list · n next · r re-run · x reset · q quit\r?\n/);
  expect(screen).not.toMatch(/type a letter and Enter/);
  child.stdin?.write("h");
  await until(new RegExp(`Hint 1 of ${first.hints.length} for ${first.id}: [\\s\\S]*\\(${first.hints.length - 1} more: press h again\\)`));
  child.stdin?.write("l");
  await until(new RegExp(`0/${course.exercises.length} exercises done`));
  child.stdin?.write("q");
  const result = await child;
  expect(result.exitCode).toBe(0);
});
