import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { loadCourse } from "../../grader/course/manifest.ts";

const course = loadCourse();
const exerciseIds = course.exercises.map((e) => e.id).join(", ");
const lessons = course.lessons.map((l) => `${l.number} (${l.id})`).join(", ");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Bad input to the CLI: a clear message naming the valid choices, exit 2, never a stack trace. */
describe("usage errors", () => {
  const cases: { args: string[]; says: RegExp }[] = [
    { args: ["frobnicate"], says: /unknown command "frobnicate"\. Valid commands: watch, list, lesson, grade, hint, run, reset, grade-submission, grade-class, assign, verify, new/ },
    { args: ["grade", "echo-srv"], says: new RegExp(`unknown exercise "echo-srv"\\. Valid exercises: ${escape(exerciseIds)}$`, "m") },
    { args: ["grade"], says: new RegExp(`name an exercise\\. Valid exercises: ${escape(exerciseIds)}$`, "m") },
    { args: ["grade", "echo-server", "--colour"], says: /grade: Unknown option '--colour'\. Valid flags: --cmd, --file, --solution, --json, --all, --seed/ },
    { args: ["grade", "echo-server", "--cmd", "python3 x.py", "--solution"], says: /grade: --cmd and --solution cannot be used together/ },
    { args: ["grade", "echo-server", "--cmd", " "], says: /--cmd needs a command/ },
    { args: ["grade", "echo-server", "--file", "nowhere.ts"], says: /grade: --file nowhere\.ts does not exist/ },
    { args: ["grade", "echo-server", "extra"], says: /grade: unexpected argument "extra"/ },
    { args: ["lesson", "99"], says: new RegExp(`unknown lesson "99"\\. Valid lessons: ${escape(lessons)}$`, "m") },
    { args: ["hint", "nope"], says: /unknown exercise "nope"/ },
    { args: ["run", "echo-server", "--port", "70000"], says: /run: --port must be a number from 1 to 65535, got "70000"/ },
    { args: ["run", "load-balancer"], says: /run: load-balancer reads BACKENDS: set it, as in BACKENDS=\.\.\. npx socketlings run load-balancer \(lesson 10, "Exercise: load-balancer", shows what to set it to\)/ },
    { args: ["list", "--all"], says: /list: Unknown option '--all'/ },
  ];
  it.each(cases)("socketlings $args.0 $args.1 $args.2 → exit 2", async ({ args, says }) => {
    const run = await runCli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).toMatch(/run `npx socketlings --help`/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe("");
  });

  it("prints the commands for --help, exit 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/usage: socketlings \[command\]/);
    for (const command of ["watch", "list", "lesson", "grade", "hint", "run", "reset", "verify"]) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });
});
