import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { makeWorkingCopy } from "../support/working-copy.ts";
import { loadCourse } from "../../grader/course/manifest.ts";

const course = loadCourse();
const [first, second] = course.exercises;
const last = course.exercises[course.exercises.length - 1]!;
const total = course.exercises.length;

let copy: ReturnType<typeof makeWorkingCopy>;
beforeAll(() => {
  copy = makeWorkingCopy();
});
afterAll(() => copy.remove());

const cli = (args: string[], input?: string) => runCli(args, { cwd: copy.dir, ...(input === undefined ? {} : { input }) });
const progressFile = () => path.join(copy.dir, ".socketlings", "progress.json");

describe("a learner's commands, in a fresh checkout", () => {
  it("list shows every lesson and exercise, the first one current, and a progress bar", async () => {
    const run = await cli(["list"]);
    expect(run.exitCode).toBe(0);
    for (const lesson of course.lessons) expect(run.stdout).toContain(`Lesson ${lesson.number}: ${lesson.title}`);
    expect(run.stdout).toMatch(new RegExp(`▶ current\\s+${first!.id}\\s+${first!.file}`));
    expect(run.stdout).toMatch(new RegExp(`· to do\\s+${last.id}`));
    expect(run.stdout).toMatch(new RegExp(`\\[░{30}\\] 0/${total} exercises done`));
  });

  it("hint gives the hints one at a time, then all of them, and remembers", async () => {
    const first = await cli(["hint", "echo-server"]);
    expect(first.stdout).toMatch(/^Hint 1 of 3 for echo-server: Every 'data' event/);
    expect((await cli(["hint", "echo-server"])).stdout).toMatch(/^Hint 2 of 3/);
    expect((await cli(["hint", "echo-server"])).stdout).toMatch(/^Hint 3 of 3/);
    const all = await cli(["hint", "echo-server"]);
    expect(all.stdout).toMatch(/^All 3 hints for echo-server:\n  1\. .+\n  2\. .+\n  3\. /);
    expect(JSON.parse(readFileSync(progressFile(), "utf8")).hintsShown["echo-server"]).toBe(3);
  });

  it("lesson renders for the terminal (no colour codes in a pipe), --raw gives the Markdown", async () => {
    const rendered = await cli(["lesson", "4"]);
    expect(rendered.exitCode).toBe(0);
    expect(rendered.stdout).toMatch(/^Lesson 4: Sockets: the API\n={10,}/);
    expect(rendered.stdout).toMatch(/┌─ ts/);
    expect(rendered.stdout).not.toMatch(/\x1b\[/);
    const byExercise = await cli(["lesson", "udp-calculator"]);
    expect(byExercise.stdout).toMatch(/^Lesson 6: UDP: datagrams/);
    const raw = await cli(["lesson", "sockets", "--raw"]);
    // execa drops the final newline of what it captured.
    expect(raw.stdout).toBe(readFileSync(path.join(copy.dir, "lessons", "04-sockets.md"), "utf8").replace(/\n$/, ""));
  });

  it("grade records a pass in the progress file, and list then shows it done", async () => {
    const file = path.join(copy.dir, first!.file);
    const stub = readFileSync(file);
    writeFileSync(file, readFileSync(path.join(copy.dir, first!.solution)));
    try {
      const run = await cli(["grade", first!.id]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`${first!.id}: all \\d+ checks passed`));
      const list = await cli(["list"]);
      expect(list.stdout).toMatch(new RegExp(`✓ done\\s+${first!.id}`));
      expect(list.stdout).toMatch(new RegExp(`▶ current\\s+${second!.id}`));
      expect(list.stdout).toMatch(new RegExp(`1/${total} exercises done`));
    } finally {
      writeFileSync(file, stub);
    }
  });

  it("a damaged progress file is reported and rebuilt, and the damaged one kept", async () => {
    writeFileSync(progressFile(), "{ this is not json");
    const run = await cli(["list"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/your progress file \.socketlings\/progress\.json was damaged \(.+\), so it starts afresh/);
    expect(readdirSync(path.join(copy.dir, ".socketlings")).some((f) => f.startsWith("progress.json.damaged-"))).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`0/${total} exercises done`));
  });

  it("reset restores the stub byte for byte after --yes, and keeps the learner's version", async () => {
    const file = path.join(copy.dir, "exercises", "04-sockets", "echo-server.ts");
    const stub = readFileSync(file);
    writeFileSync(file, "// my attempt\n");
    const refused = await cli(["reset", "echo-server"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/reset asks before it overwrites your work: run it in a terminal, or pass --yes/);
    expect(readFileSync(file, "utf8")).toBe("// my attempt\n");
    const run = await cli(["reset", "echo-server", "--yes"]);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(file).equals(stub)).toBe(true);
    const backup = /Your version is in (.+)\./.exec(run.stdout)?.[1];
    expect(backup && readFileSync(path.join(copy.dir, backup), "utf8")).toBe("// my attempt\n");
    expect((await cli(["reset", "echo-server", "--yes"])).stdout).toMatch(/already the starting version/);
  });

  it("grade of a deleted exercise file says how to restore it, exit 2", async () => {
    const file = path.join(copy.dir, "exercises", "06-udp", "udp-calculator.ts");
    const stub = readFileSync(file);
    try {
      rmSync(file);
      const run = await cli(["grade", "udp-calculator"]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/exercises\/06-udp\/udp-calculator\.ts does not exist\. Restore it with `npx socketlings reset udp-calculator`/);
    } finally {
      writeFileSync(file, stub);
    }
  });
});
