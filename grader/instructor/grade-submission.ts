import path from "node:path";
import type { Course } from "../course/manifest.ts";
import { Grader, type GradeRequest } from "../grading/grader.ts";
import type { Assignment } from "./assignment.ts";
import type { StudentOutcome } from "./class-results.ts";
import { lateOutcome, scoreExercise } from "./scoring.ts";
import { programFor, submissionTime } from "./submission.ts";

export interface SubmissionOptions {
  seed: string;
  /** vitest workers for this submission's exercises. */
  workers: number;
}

/**
 * Grades one student's folder against an assignment: every exercise, every
 * check (no stopping at the first failure: points are partial), each
 * exercise within its time limit; then the points and the late rule.
 */
export async function gradeSubmission(course: Course, assignment: Assignment, dir: string, options: SubmissionOptions): Promise<StudentOutcome> {
  const started = Date.now();
  const folder = path.resolve(dir);
  const planned = assignment.exercises.map((task) => {
    const { spec: program, problem } = programFor(task, folder);
    return { task, program, problem };
  });
  const requests: GradeRequest[] = planned
    .filter(({ problem }) => !problem)
    .map(({ task, program }) => ({ exercise: task.exercise, spec: program, cwd: folder, timeLimitMs: task.timeLimitSeconds * 1000 }));
  const grader = await Grader.create(course, { maxWorkers: options.workers, reuseWorkers: true });
  let results;
  try {
    results = await grader.grade(requests, { stopAtFirstFailure: false, seed: options.seed });
  } finally {
    await grader.close();
  }
  const byId = new Map(results.map((r) => [r.exerciseId, r]));
  const exercises = planned.map(({ task, problem }) => scoreExercise(task, byId.get(task.exercise.id), problem));
  const points = Math.round(exercises.reduce((sum, e) => sum + e.points, 0) * 100) / 100;
  const maxPoints = assignment.exercises.reduce((sum, e) => sum + e.points, 0);
  const rule = assignment.late;
  const submittedAt = rule.policy === "none" ? null : submissionTime(folder, rule.submittedAt);
  const late = lateOutcome(rule, assignment.due, submittedAt, rule.policy === "none" ? "none" : rule.submittedAt.kind, points);
  return {
    id: path.basename(folder),
    exercises,
    late,
    points,
    total: Math.round((points - late.penaltyPoints) * 100) / 100,
    maxPoints,
    durationMs: Date.now() - started,
  };
}
