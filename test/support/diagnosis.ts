import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { expectNothingLeft, failureText, firstFailure, gradeJson, type JsonReport } from "./run-cli.ts";

export interface KnownWrong {
  /** A fixture under test/fixtures/: .py files run with python3 through --cmd, .ts with --file. */
  fixture: string;
  /** The check that must fail first: the one the learner reads. */
  check: string;
  /** What the failure must say, each somewhere in the transcript, message, expected, hint or output. */
  says: RegExp[];
}

export function programArgs(fixture: string): string[] {
  const file = path.join("test", "fixtures", fixture);
  if (fixture.endsWith(".py")) return ["--cmd", `python3 ${file}`];
  if (fixture.endsWith(".sh")) return ["--cmd", `sh ${file}`];
  return ["--file", file];
}

/** The reference solution passes every one of the exercise's checks, run all. */
export function referenceSolutionPasses(exercise: string, checkCount: number): void {
  it(`pass the reference solution, all ${checkCount} of them`, async () => {
    const { exitCode, report } = await gradeJson(exercise, ["--solution", "--all"]);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual(report.checks.map((c) => [c.name, "passed"]));
    expect(report.checks).toHaveLength(checkCount);
    expect(exitCode).toBe(0);
  });
}

/** Grades a known-wrong program and checks that the diagnosis names its bug. */
export async function expectDiagnosis(exercise: string, wrong: KnownWrong): Promise<JsonReport> {
  const run = await gradeJson(exercise, programArgs(wrong.fixture));
  expect(run.exitCode, run.stderr).toBe(1);
  const failed = firstFailure(run.report);
  const text = failureText(failed);
  expect(failed.name).toBe(wrong.check);
  expect(failed.internal, text).toBe(false);
  for (const pattern of wrong.says) expect(text).toMatch(pattern);
  expect(expectNothingLeft(run.report, wrong.fixture)).toEqual([]);
  return run.report;
}

export const hasPython = spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;

/**
 * A test per known-wrong program; Python ones skip, saying why, where python3
 * is missing. `concurrent` grades them side by side: for an exercise whose
 * checks mostly wait (api-client's 2 s and 6 s timeouts), not for timing-tight ones.
 */
export function knownWrongPrograms(exercise: string, programs: KnownWrong[], options: { concurrent?: boolean } = {}): void {
  for (const wrong of programs) {
    const skip = wrong.fixture.endsWith(".py") && !hasPython;
    it(`diagnose ${wrong.fixture}${skip ? " (skipped: python3 is not installed)" : ""}`, { skip, concurrent: options.concurrent ?? false }, async () => {
      await expectDiagnosis(exercise, wrong);
    });
  }
}
