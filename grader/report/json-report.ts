import type { ExerciseResult } from "./results.ts";

/** The machine-readable report of `grade --json`: one document, stable field names. */
export function toJsonReport(result: ExerciseResult): object {
  return {
    exercise: result.exerciseId,
    program: result.program,
    passed: result.passed,
    durationMs: result.durationMs,
    ...(result.internalError ? { internalError: result.internalError } : {}),
    checks: result.checks.map((check) => ({
      name: check.name,
      status: check.status,
      durationMs: check.durationMs,
      message: check.failure?.message ?? check.note ?? null,
      hint: check.failure?.hint ?? null,
      details: check.failure?.details ?? [],
      expected: check.failure?.expected ?? [],
      transcript: check.transcript,
      output: check.failure?.output ?? null,
      internal: check.failure?.internal ?? false,
    })),
  };
}
