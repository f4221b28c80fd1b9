import "../launcher/program-environment.ts";
import { UsageError } from "./usage-error.ts";
import { processIo, type Io } from "./io.ts";
import { killLiveProgramsNow } from "../launcher/live-programs.ts";
import { setCourseRoot } from "../course/course-root.ts";
import { usePrebuiltHarness } from "../grading/prebuilt-harness.ts";
import { trace } from "../report/trace.ts";

type Command = (args: string[], io: Io) => Promise<number>;

/** Each command in its own file, loaded only when asked for. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  watch: { summary: "grade the current exercise on every save (the default)", load: async () => (await import("./commands/watch.ts")).watch },
  list: { summary: "lessons and exercises, with your progress", load: async () => (await import("./commands/list.ts")).list },
  lesson: { summary: "read a lesson in the terminal: lesson <number or id>", load: async () => (await import("./commands/lesson.ts")).lesson },
  grade: { summary: 'grade one exercise: grade <exercise> [--cmd "<command>" | --file <path> | --solution] [--json] [--all] [--seed S]', load: async () => (await import("./commands/grade.ts")).grade },
  hint: { summary: "the next hint for an exercise: hint <exercise>", load: async () => (await import("./commands/hint.ts")).hint },
  run: { summary: "start your program as the grader does, to poke it by hand: run <exercise> [--port N] [-- arguments]", load: async () => (await import("./commands/run.ts")).run },
  reset: { summary: "restore an exercise's starting file (asks first, keeps a backup): reset <exercise>", load: async () => (await import("./commands/reset.ts")).reset },
  "grade-submission": {
    summary: "grade one student's folder against an assignment: grade-submission <assignment.json> <folder> [--json | --classroom] [--seed S]",
    load: async () => (await import("./commands/grade-submission.ts")).gradeSubmissionCommand,
  },
  "grade-class": {
    summary: "grade every student folder of a class: grade-class <assignment.json> <submissions> --out <folder> [--jobs N] [--seed S] [--release-hidden] (or --from <graded .json folder>)",
    load: async () => (await import("./commands/grade-class.ts")).gradeClass,
  },
  assign: { summary: "write a homework pack for students: assign <assignment.json> --out <folder>", load: async () => (await import("./commands/assign.ts")).assign },
  verify: { summary: "grade every exercise; with --solutions, the reference solutions", load: async () => (await import("./commands/verify.ts")).verify },
  new: { summary: "scaffold an exercise of your own: new <exercise-id> [--transport tcp|udp] [--role server|client] [--lesson <id>] [--title \"...\"]", load: async () => (await import("./commands/new.ts")).newExercise },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: socketlings [command] [arguments]",
    "",
    ...Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
  ].join("\n");
}

/** What the bin shim knows: where the course is, and where it put the harness bundle. */
export interface Runtime {
  root?: string;
  harnessBundle?: string;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 a check failed, 2 usage error, 3 a bug. */
export async function main(argv: string[], runtime: Runtime = {}, io: Io = processIo()): Promise<number> {
  trace("cli: main");
  if (runtime.root) setCourseRoot(runtime.root);
  if (runtime.harnessBundle) usePrebuiltHarness(runtime.harnessBundle);
  // A closed pipe (`socketlings list | head`) ends the CLI quietly, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // Whatever happens to the CLI, no program it started outlives it.
  process.once("exit", killLiveProgramsNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      // A command with its own handler (run stops its program gently) takes over.
      if (process.listenerCount(signal) > 1) return;
      killLiveProgramsNow();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  try {
    const [first, ...rest] = argv;
    if (first === "--help" || first === "-h" || first === "help") {
      io.out(usage());
      return 0;
    }
    const name = first === undefined || first.startsWith("-") ? "watch" : first;
    const args = name === first ? rest : argv;
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}". Valid commands: ${Object.keys(COMMANDS).join(", ")}`);
    const run = await command.load();
    trace(`cli: ${name} loaded`);
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`socketlings: ${error.message}\n(run \`npx socketlings --help\` for the commands)`);
      return 2;
    }
    io.err(`socketlings hit a bug, not a problem with your program. Please report it with this text:\n${(error as Error).stack ?? String(error)}`);
    return 3;
  }
}
