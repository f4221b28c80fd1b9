import os from "node:os";
import path from "node:path";
import { loadCourse, type Course } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import { Grader, type GradeRequest } from "../../grading/grader.ts";
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
  // Most grading time is waiting (read timeouts, retransmission timers): twice as many
  // workers as cores overlap the waits without starving the timing-sensitive checks.
  const grader = await Grader.create(course, { maxWorkers: 2 * Math.max(1, os.availableParallelism()), lanes: values.solutions ? 2 : 1 });
  try {
    const started = Date.now();
    if (!values.solutions) {
      const results = await grader.grade(requestsFor(course, "file"), { stopAtFirstFailure: true, seed: "1" });
      const progress = Progress.load(course);
      for (const r of results) if (r.passed && !progress.isDone(r.exerciseId)) progress.data.done[r.exerciseId] = new Date().toISOString();
      const problem = progress.save();
      if (problem) io.err(problem);
      io.out(summarize(results, (r) => r.passed, io));
      io.out(io.paint.dim(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s`));
      return results.every((r) => r.passed) ? 0 : 1;
    }
    // One run for both: a stub waiting out a read timeout overlaps a solution's checks.
    const stubs = requestsFor(course, "file").map((request) => ({ ...request, stopAtFirstFailure: true }));
    const results = await grader.grade([...requestsFor(course, "solution"), ...stubs], { stopAtFirstFailure: false, seed: "1" });
    const solutionResults = results.slice(0, course.exercises.length);
    const stubResults = results.slice(course.exercises.length);
    io.out(io.paint.bold("reference solutions (each must pass):"));
    io.out(summarize(solutionResults, (r) => r.passed, io));
    io.out(io.paint.bold("starting stubs (each must fail):"));
    io.out(summarize(stubResults, (r) => !r.passed && !r.internalError, io));
    io.out(io.paint.dim(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s`));
    return solutionResults.every((r) => r.passed) && stubResults.every((r) => !r.passed && !r.internalError) ? 0 : 1;
  } finally {
    await grader.close();
  }
}

function requestsFor(course: Course, which: "file" | "solution"): GradeRequest[] {
  return course.exercises.map((exercise) => ({ exercise, spec: { kind: "typescript", file: path.join(course.root, exercise[which]) }, cwd: course.root }));
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
