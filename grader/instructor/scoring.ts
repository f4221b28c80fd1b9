import type { CheckResult, ExerciseResult } from "../report/results.ts";
import { formatCheck } from "../report/failure-text.ts";
import { paint } from "../report/colors.ts";
import type { AssignmentExercise, LateRule } from "./assignment.ts";
import type { CheckOutcome, ExerciseOutcome, LateOutcome } from "./class-results.ts";

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * An exercise's points shared over its checks by weight (1 unless the
 * assignment says otherwise): partial credit by default. A check that did
 * not run (the program never started) earns nothing.
 */
export function scoreExercise(spec: AssignmentExercise, result: ExerciseResult | undefined, problem?: string): ExerciseOutcome {
  const shares = shareByWeight(spec.points, spec.checkNames.map((name) => spec.weights[name] ?? 1));
  const byName = new Map((result?.checks ?? []).map((c) => [c.name, c]));
  const checks = spec.checkNames.map((name, index): CheckOutcome => {
    const maxPoints = shares[index]!;
    const check = byName.get(name);
    const passed = !problem && check?.status === "passed";
    return {
      name,
      status: problem ? "failed" : (check?.status ?? "failed"),
      maxPoints,
      points: passed ? maxPoints : 0,
      hidden: spec.hidden.includes(name),
      message: passed ? null : (problem ?? check?.failure?.message ?? check?.note ?? result?.internalError?.split("\n")[0] ?? "this check did not run"),
      hint: check?.failure?.hint ?? null,
      feedback: passed || !check ? "" : formatCheck(spec.exercise.id, check as CheckResult, paint(false)),
      durationMs: check?.durationMs ?? 0,
    };
  });
  return {
    id: spec.exercise.id,
    title: spec.exercise.title,
    program: result?.program ?? "",
    points: round2(checks.reduce((sum, c) => sum + c.points, 0)),
    maxPoints: spec.points,
    checks,
    ...(problem ? { problem } : {}),
    durationMs: result?.durationMs ?? 0,
  };
}

/**
 * `points` shared in proportion to `weights`, in whole cents that add up to
 * `points` exactly: rounding each share alone would make 10 points over 21
 * checks worth 10.08. The cents left over go to the largest remainders.
 */
export function shareByWeight(points: number, weights: number[]): number[] {
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const cents = Math.round(points * 100);
  if (totalWeight === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (cents * w) / totalWeight);
  const shares = exact.map(Math.floor);
  let left = cents - shares.reduce((sum, c) => sum + c, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares.map((c) => c / 100);
}

/** The late rule applied to a submission made at `submittedAt` (null: unknown, counted as on time). */
export function lateOutcome(rule: LateRule, due: Date | null, submittedAt: Date | null, source: LateOutcome["source"], points: number): LateOutcome {
  if (rule.policy === "none" || !due) {
    return { submittedAt: null, source: "none", daysLate: 0, penaltyPercent: 0, penaltyPoints: 0, rule: "late work is not penalised" };
  }
  const lateMs = submittedAt ? submittedAt.getTime() - due.getTime() : 0;
  const daysLate = lateMs > 0 ? Math.ceil(lateMs / 86_400_000) : 0;
  const penaltyPercent = daysLate === 0 ? 0 : rule.policy === "zero" ? 100 : Math.min(100, rule.percentPerDay * daysLate);
  return {
    submittedAt: submittedAt?.toISOString() ?? null,
    source,
    daysLate,
    penaltyPercent,
    penaltyPoints: round2((points * penaltyPercent) / 100),
    rule: rule.policy === "zero" ? `no credit after ${due.toISOString()}` : `${rule.percentPerDay}% off per day (or part of a day) after ${due.toISOString()}`,
  };
}
