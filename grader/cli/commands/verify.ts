import path from "node:path";
import { loadCourse, type Course } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import { Grader } from "../../grading/grader.ts";
import type { ExerciseResult } from "../../report/results.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";

/**
 * Grades every exercise at once. With --solutions it checks the course
 * itself: every reference solution passes and every starting stub fails.
 */
export async function verify(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags("verify", args, { solutions: { type: "boolean" } }, { max: 0 });
  const course = loadCourse();
  const grader = await Grader.create(course);
  try {
    const started = Date.now();
    if (!values.solutions) {
      const results = await gradeAll(grader, course, "file");
      const progress = Progress.load(course);
      for (const r of results) if (r.passed && !progress.isDone(r.exerciseId)) progress.data.done[r.exerciseId] = new Date().toISOString();
      const problem = progress.save();
      if (problem) io.err(problem);
      io.out(summarize(results, (r) => r.passed, io));
      io.out(io.paint.dim(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s`));
      return results.every((r) => r.passed) ? 0 : 1;
    }
    const solutions = await gradeAll(grader, course, "solution");
    io.out(io.paint.bold("reference solutions (each must pass):"));
    io.out(summarize(solutions, (r) => r.passed, io));
    const stubs = await gradeAll(grader, course, "file");
    io.out(io.paint.bold("starting stubs (each must fail):"));
    io.out(summarize(stubs, (r) => !r.passed && !r.internalError, io));
    io.out(io.paint.dim(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s`));
    return solutions.every((r) => r.passed) && stubs.every((r) => !r.passed && !r.internalError) ? 0 : 1;
  } finally {
    await grader.close();
  }
}

function gradeAll(grader: Grader, course: Course, which: "file" | "solution"): Promise<ExerciseResult[]> {
  return grader.grade(
    course.exercises.map((exercise) => ({ exercise, spec: { kind: "typescript", file: path.join(course.root, exercise[which]) }, cwd: course.root })),
    { stopAtFirstFailure: which === "file", seed: "1" },
  );
}

function summarize(results: ExerciseResult[], ok: (r: ExerciseResult) => boolean, io: Io): string {
  const p = io.paint;
  return results
    .map((r) => {
      const passed = r.checks.filter((c) => c.status === "passed").length;
      const firstFailure = r.checks.find((c) => c.status === "failed");
      const why = r.internalError ? ` — grader error: ${r.internalError.split("\n")[0]}` : firstFailure ? ` — ${firstFailure.name}: ${firstFailure.failure?.message}` : "";
      return `  ${ok(r) ? p.green("✓") : p.red("✗")} ${r.exerciseId.padEnd(22)} ${passed}/${r.checks.length} checks passed${p.dim(why)}`;
    })
    .join("\n");
}
