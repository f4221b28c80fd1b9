import os from "node:os";
import { existsSync, statSync } from "node:fs";
import { loadCourse } from "../../course/manifest.ts";
import { loadAssignment } from "../../instructor/assignment.ts";
import { gradeSubmission } from "../../instructor/grade-submission.ts";
import type { StudentOutcome } from "../../instructor/class-results.ts";
import { classroomResults } from "../../instructor/reports/classroom.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";

/**
 * Grades one student's folder against an assignment. grade-class runs it
 * once per student (inside a network namespace where it can); instructors
 * and CI run it for a single submission.
 */
export async function gradeSubmissionCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    "grade-submission",
    args,
    { seed: { type: "string" }, json: { type: "boolean" }, classroom: { type: "boolean" }, "release-hidden": { type: "boolean" }, workers: { type: "string" } },
    { max: 2 },
  );
  const [assignmentFile, dir] = positionals;
  if (!assignmentFile || !dir) throw new UsageError("grade-submission: give the assignment file and the submission folder: grade-submission <assignment.json> <folder>");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`grade-submission: ${dir} is not a folder`);
  const course = loadCourse();
  const assignment = loadAssignment(assignmentFile, course);
  const workers = values.workers === undefined ? Math.max(1, os.availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`grade-submission: --workers must be a whole number of 1 or more, got "${values.workers}"`);
  if (values.json && values.classroom) throw new UsageError("grade-submission: --json and --classroom cannot be used together");
  const student = await gradeSubmission(course, assignment, dir, { seed: values.seed ?? "1", workers });
  if (values.json) io.out(JSON.stringify(student));
  // GitHub Classroom's reporter reads this; the student sees it, so hidden checks stay folded until released.
  else if (values.classroom) io.out(JSON.stringify(classroomResults(student, { hiddenReleased: assignment.hiddenReleased || Boolean(values["release-hidden"]) })));
  else io.out(summary(student, assignment.title));
  return 0;
}

function summary(student: StudentOutcome, title: string): string {
  const lines = [`${title}: ${student.id} scored ${student.total} of ${student.maxPoints}`];
  for (const exercise of student.exercises) {
    lines.push(`  ${exercise.id.padEnd(22)} ${String(exercise.points).padStart(6)} / ${exercise.maxPoints}${exercise.problem ? `  (${exercise.problem})` : ""}`);
  }
  if (student.late.penaltyPoints > 0) lines.push(`  late by ${student.late.daysLate} day(s): -${student.late.penaltyPoints} (${student.late.rule})`);
  return lines.join("\n");
}
