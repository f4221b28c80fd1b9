import type { CheckOutcome, ClassResults, ExerciseOutcome, StudentOutcome } from "../class-results.ts";
import { checkFeedback, checkTitle, isWithheld } from "./check-text.ts";
import { describeLatePenalty, hasLatePenalty } from "./late-text.ts";
import { sum } from "./points.ts";

type Status = "pass" | "fail" | "error";

/** One test as GitHub Classroom's autograding-grading-reporter reads it. */
export interface ClassroomTest {
  name: string;
  status: Status;
  score: number;
  message: string;
  line_no: 0;
  filename: "";
  test_code: "";
  /** Milliseconds. */
  duration: number;
}

/** The runner output the reporter reads, base64-encoded, from `<RUNNER>_RESULTS`. */
export interface ClassroomResults {
  version: 1;
  status: Status;
  max_score: number;
  tests: ClassroomTest[];
}

/** The name under which unreleased hidden checks appear, together, in a student's results. */
export const HIDDEN_CHECKS_NAME = "hidden checks (released later)";

/**
 * A student's grade for GitHub Classroom's autograding reporter, which adds up
 * `tests[].score` against `max_score`: one test per check, so the sum is the
 * student's points; a late penalty is a last test with a negative score, so
 * the sum is their total. The student sees every line of it in the Actions
 * log, so hidden checks not yet released are folded into one test with their
 * combined score and no message. `hiddenReleased` defaults to false: without
 * the class's setting, nothing hidden is shown.
 */
export function classroomResults(student: StudentOutcome, results?: Pick<ClassResults, "hiddenReleased">): ClassroomResults {
  const released = results?.hiddenReleased ?? false;
  const tests = student.exercises.flatMap((exercise) => exerciseTests(exercise, released));
  const withheld = student.exercises.flatMap((e) => e.checks).filter((c) => isWithheld(c, released));
  if (withheld.length > 0) tests.push(hiddenChecksTest(withheld));
  if (student.error !== undefined) tests.push({ ...blank("grading"), status: "error", message: `The grader failed on this submission (a bug in socketlings, not in your program):\n${student.error}` });
  if (hasLatePenalty(student.late)) tests.push({ ...blank("late penalty"), status: "fail", score: -student.late.penaltyPoints, message: describeLatePenalty(student.late) });
  return { version: 1, status: overallStatus(tests), max_score: student.maxPoints, tests };
}

function exerciseTests(exercise: ExerciseOutcome, released: boolean): ClassroomTest[] {
  // A problem (a missing file, a program that does not start) is an error, not a failed check.
  const notPassed: Status = exercise.problem === undefined ? "fail" : "error";
  if (exercise.checks.length === 0) {
    const passed = exercise.problem === undefined && exercise.points >= exercise.maxPoints;
    return [{ ...blank(exercise.id), status: passed ? "pass" : notPassed, score: exercise.points, message: exercise.problem ?? "", duration: exercise.durationMs }];
  }
  return exercise.checks
    .filter((check) => !isWithheld(check, released))
    .map((check) => ({
      ...blank(checkTitle(exercise, check)),
      status: check.status === "passed" ? "pass" : notPassed,
      score: check.points,
      message: checkFeedback(exercise, check),
      duration: check.durationMs,
    }));
}

function hiddenChecksTest(checks: readonly CheckOutcome[]): ClassroomTest {
  const passed = checks.every((c) => c.status === "passed");
  return { ...blank(HIDDEN_CHECKS_NAME), status: passed ? "pass" : "fail", score: sum(checks.map((c) => c.points)), duration: sum(checks.map((c) => c.durationMs)) };
}

/** "error" if anything could not be run, else "pass" only when nothing cost a point. */
function overallStatus(tests: readonly ClassroomTest[]): Status {
  if (tests.some((t) => t.status === "error")) return "error";
  return tests.every((t) => t.status === "pass") ? "pass" : "fail";
}

function blank(name: string): ClassroomTest {
  return { name, status: "pass", score: 0, message: "", line_no: 0, filename: "", test_code: "", duration: 0 };
}
