import type { ClassResults, ExerciseOutcome, StudentOutcome } from "../class-results.ts";
import { checkFeedback, checkTitle, isWithheld } from "./check-text.ts";
import { describeLatePenalty, hasLatePenalty } from "./late-text.ts";
import { formatPoints, pointsPhrase, sum } from "./points.ts";

type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

/** One test of Gradescope's results.json. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: Visibility;
}

/**
 * Gradescope's autograder results.json
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
 */
export interface GradescopeResults {
  score: number;
  /** Seconds. */
  execution_time: number;
  output: string;
  /** Both "text": failure text is a terminal transcript, with `<` and `&` meant literally. */
  output_format: "text";
  test_output_format: "text";
  visibility: Visibility;
  tests: GradescopeTest[];
}

/**
 * A student's grade in Gradescope's results.json: one test per check named
 * "<exercise> › <check>", with the failure text the learner sees in the
 * terminal. Hidden checks stay "after_published" until the instructor releases
 * them. A late penalty is one more test with a negative score and no maximum,
 * so that the tests add up to `score`, which is the student's total.
 */
export function gradescopeResults(student: StudentOutcome, results: ClassResults): GradescopeResults {
  const tests = student.exercises.flatMap((exercise) => exerciseTests(exercise, results.hiddenReleased));
  if (hasLatePenalty(student.late)) {
    tests.push({ name: "late penalty", score: -student.late.penaltyPoints, max_score: 0, status: "failed", output: describeLatePenalty(student.late), visibility: "visible" });
  }
  return {
    score: student.total,
    execution_time: Math.round(student.durationMs) / 1000,
    output: summary(student, results.hiddenReleased),
    output_format: "text",
    test_output_format: "text",
    visibility: "visible",
    tests,
  };
}

function exerciseTests(exercise: ExerciseOutcome, hiddenReleased: boolean): GradescopeTest[] {
  // An exercise that never got as far as its checks still owes the student its points' worth of explanation.
  if (exercise.checks.length === 0) {
    const passed = exercise.problem === undefined && exercise.points >= exercise.maxPoints;
    return [{ name: exercise.id, score: exercise.points, max_score: exercise.maxPoints, status: passed ? "passed" : "failed", output: exercise.problem ?? "", visibility: "visible" }];
  }
  return exercise.checks.map((check) => ({
    name: checkTitle(exercise, check),
    score: check.points,
    max_score: check.maxPoints,
    status: check.status === "passed" ? "passed" : "failed",
    output: checkFeedback(exercise, check),
    visibility: isWithheld(check, hiddenReleased) ? "after_published" : "visible",
  }));
}

/** The few lines above the tests: the grade, then whatever changed it besides the checks. */
function summary(student: StudentOutcome, hiddenReleased: boolean): string {
  const lines = [`${formatPoints(student.total)} / ${formatPoints(student.maxPoints)} points.`];
  if (student.error !== undefined) lines.push(`The grader failed on this submission (a bug in socketlings, not in your program):\n${student.error}`);
  for (const exercise of student.exercises) {
    if (exercise.problem !== undefined) lines.push(`${exercise.id} could not be checked: ${exercise.problem}`);
  }
  if (hasLatePenalty(student.late)) lines.push(`Late: ${describeLatePenalty(student.late)} (${formatPoints(student.points)} points before the penalty).`);
  const withheld = student.exercises.flatMap((e) => e.checks).filter((c) => isWithheld(c, hiddenReleased));
  if (withheld.length > 0) lines.push(`${withheld.length} hidden ${withheld.length === 1 ? "check" : "checks"} (worth ${pointsPhrase(sum(withheld.map((c) => c.maxPoints)))}) will be shown once grades are published.`);
  return lines.join("\n");
}
