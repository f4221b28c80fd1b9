import type { CheckOutcome, ClassResults, ExerciseOutcome, StudentOutcome } from "../class-results.ts";
import { formatPoints, sum } from "./points.ts";
import { xmlAttribute, xmlText } from "./xml-text.ts";

type Outcome =
  | { kind: "passed" }
  | { kind: "failed"; message: string; text: string }
  | { kind: "skipped"; message: string | null }
  | { kind: "error"; type: string; message: string; text: string };

interface TestCase {
  classname: string;
  name: string;
  durationMs: number;
  hidden: boolean;
  outcome: Outcome;
}

interface TestSuite {
  name: string;
  durationMs: number;
  properties: [string, string][];
  cases: TestCase[];
}

/**
 * The whole class as JUnit XML, for a CI dashboard or any JUnit viewer: one
 * `<testsuite>` per student and exercise, one `<testcase>` per check. It is
 * the instructor's view, so hidden checks are included, marked by a
 * "[hidden] " name prefix and a `hidden` property. An exercise that could not
 * be checked (a missing file) adds a test case with an `<error>`, and so does
 * a submission the grader failed on.
 */
export function junitXml(results: ClassResults): string {
  const suites = results.students.flatMap(studentSuites);
  const totals = counts(suites.flatMap((s) => s.cases));
  const time = seconds(sum(suites.map((s) => s.durationMs)));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes([["name", results.assignment.title], ...totals, ["time", time]])}>`,
    ...suites.flatMap((suite) => suiteLines(suite, results.gradedAt)),
    "</testsuites>",
    "",
  ].join("\n");
}

function studentSuites(student: StudentOutcome): TestSuite[] {
  const suites = student.exercises.map((exercise) => exerciseSuite(student, exercise));
  if (student.error !== undefined) suites.push(graderErrorSuite(student, student.error));
  return suites;
}

/** A submission the grader failed on: an error of socketlings, told apart from the student's mistakes. */
function graderErrorSuite(student: StudentOutcome, error: string): TestSuite {
  // The time not spent in any exercise, so that suite times still add up to the student's.
  const durationMs = Math.max(0, student.durationMs - sum(student.exercises.map((e) => e.durationMs)));
  const message = "the grader failed on this submission (a bug in socketlings, not in the student's program)";
  return {
    name: `${student.id} › (grading)`,
    durationMs,
    properties: [["student", student.id]],
    cases: [{ classname: `${student.id}.(grading)`, name: "grade the submission", durationMs, hidden: false, outcome: { kind: "error", type: "grader error", message, text: error } }],
  };
}

function exerciseSuite(student: StudentOutcome, exercise: ExerciseOutcome): TestSuite {
  const classname = `${student.id}.${exercise.id}`;
  const cases = exercise.checks.map((check) => checkCase(classname, check));
  if (exercise.problem !== undefined) {
    cases.push({ classname, name: "(exercise could not be checked)", durationMs: 0, hidden: false, outcome: { kind: "error", type: "problem", message: exercise.problem, text: exercise.problem } });
  }
  return {
    name: `${student.id} › ${exercise.id}`,
    durationMs: exercise.durationMs,
    properties: [
      ["student", student.id],
      ["exercise", exercise.title],
      ["program", exercise.program],
      ["points", formatPoints(exercise.points)],
      ["max points", formatPoints(exercise.maxPoints)],
    ],
    cases,
  };
}

function checkCase(classname: string, check: CheckOutcome): TestCase {
  const outcome: Outcome =
    check.status === "passed" ? { kind: "passed" }
    : check.status === "skipped" ? { kind: "skipped", message: check.message }
    : { kind: "failed", message: check.message ?? "failed", text: check.feedback };
  return { classname, name: check.hidden ? `[hidden] ${check.name}` : check.name, durationMs: check.durationMs, hidden: check.hidden, outcome };
}

function suiteLines(suite: TestSuite, gradedAt: string): string[] {
  const head = attributes([["name", suite.name], ...counts(suite.cases), ["time", seconds(suite.durationMs)], ["timestamp", gradedAt]]);
  const properties = suite.properties.length === 0 ? [] : ["    <properties>", ...suite.properties.map(([name, value]) => `      <property ${attributes([["name", name], ["value", value]])}/>`), "    </properties>"];
  return [`  <testsuite ${head}>`, ...properties, ...suite.cases.flatMap(caseLines), "  </testsuite>"];
}

function caseLines(testCase: TestCase): string[] {
  const head = `    <testcase ${attributes([["classname", testCase.classname], ["name", testCase.name], ["time", seconds(testCase.durationMs)]])}`;
  const body = [
    ...(testCase.hidden ? ['      <properties><property name="hidden" value="true"/></properties>'] : []),
    ...outcomeLines(testCase.outcome),
  ];
  return body.length === 0 ? [`${head}/>`] : [`${head}>`, ...body, "    </testcase>"];
}

function outcomeLines(outcome: Outcome): string[] {
  switch (outcome.kind) {
    case "passed":
      return [];
    case "skipped":
      return [outcome.message === null ? "      <skipped/>" : `      <skipped ${attributes([["message", outcome.message]])}/>`];
    case "failed":
      return [`      <failure ${attributes([["message", outcome.message], ["type", "check failed"]])}>${xmlText(outcome.text)}</failure>`];
    case "error":
      return [`      <error ${attributes([["message", outcome.message], ["type", outcome.type]])}>${xmlText(outcome.text)}</error>`];
  }
}

function counts(cases: readonly TestCase[]): [string, string][] {
  const count = (kind: Outcome["kind"]) => String(cases.filter((c) => c.outcome.kind === kind).length);
  return [["tests", String(cases.length)], ["failures", count("failed")], ["errors", count("error")], ["skipped", count("skipped")]];
}

/** JUnit times are seconds; milliseconds keep three decimals. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(pairs: readonly [string, string][]): string {
  return pairs.map(([name, value]) => `${name}="${xmlAttribute(value)}"`).join(" ");
}
