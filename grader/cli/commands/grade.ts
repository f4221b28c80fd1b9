import path from "node:path";
import { existsSync } from "node:fs";
import { findExercise, loadCourse, type Course, type Exercise } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import { Grader } from "../../grading/grader.ts";
import type { ProgramSpec } from "../../launcher/start-program.ts";
import { formatCheck, formatSummary } from "../../report/failure-text.ts";
import { toJsonReport } from "../../report/json-report.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";
import { trace } from "../../report/trace.ts";

export async function grade(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    "grade",
    args,
    {
      cmd: { type: "string" },
      file: { type: "string" },
      solution: { type: "boolean" },
      json: { type: "boolean" },
      all: { type: "boolean" },
      seed: { type: "string" },
    },
    { max: 1 },
  );
  const course = loadCourse();
  trace("grade: course loaded");
  const exercise = findExercise(course, positionals[0]);
  const spec = programSpec(course, exercise, values, "grade");

  const request = { exercise, spec, cwd: process.cwd() };
  if (!values.json) io.out(io.paint.dim(`grading ${exercise.id}: ${describeSpec(spec)}`));
  const grader = await Grader.create(course, { maxWorkers: 1, prestart: [request] });
  try {
    const [result] = await grader.grade([request], {
      stopAtFirstFailure: !values.all,
      seed: values.seed ?? "1",
      onCheck: values.json ? undefined : (ex, check) => io.out(formatCheck(ex.id, check, io.paint)),
    });
    if (!result) throw new Error("the grader returned no result");
    if (values.json) io.out(JSON.stringify(toJsonReport(result), null, 2));
    else io.out(formatSummary(result, io.paint));
    if (result.passed && !values.solution) recordPass(course, exercise, io);
    return result.internalError ? 3 : result.passed ? 0 : 1;
  } finally {
    await grader.close();
  }
}

/** What to run: --cmd, --file, the reference solution, or the learner's own file. */
export function programSpec(
  course: Course,
  exercise: Exercise,
  options: { cmd?: string | undefined; file?: string | undefined; solution?: boolean | undefined },
  command: string,
): ProgramSpec {
  const chosen = [options.cmd !== undefined && "--cmd", options.file !== undefined && "--file", options.solution && "--solution"].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${command}: ${chosen.join(" and ")} cannot be used together`);
  if (options.cmd !== undefined) {
    if (options.cmd.trim() === "") throw new UsageError(`${command}: --cmd needs a command, e.g. --cmd "python3 echo.py"`);
    return { kind: "command", command: options.cmd };
  }
  if (options.file !== undefined) {
    const file = path.resolve(options.file);
    if (!existsSync(file)) throw new UsageError(`${command}: --file ${options.file} does not exist`);
    return { kind: "typescript", file };
  }
  const file = path.join(course.root, options.solution ? exercise.solution : exercise.file);
  if (!existsSync(file) && options.solution) throw new UsageError(`${path.relative(process.cwd(), file)} does not exist: this copy of the course has no reference solutions (a homework pack leaves them out).`);
  if (!existsSync(file)) throw new UsageError(`${path.relative(process.cwd(), file)} does not exist. Restore it with \`npx socketlings reset ${exercise.id}\`.`);
  return { kind: "typescript", file };
}

export function describeSpec(spec: ProgramSpec): string {
  return spec.kind === "command" ? spec.command : path.relative(process.cwd(), spec.file) || spec.file;
}

function recordPass(course: Course, exercise: Exercise, io: Io): void {
  const progress = Progress.load(course);
  if (progress.warning) io.err(progress.warning);
  if (progress.isDone(exercise.id)) return;
  progress.data.done[exercise.id] = new Date().toISOString();
  const problem = progress.save();
  if (problem) io.err(problem);
}
