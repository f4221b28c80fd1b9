import { describe, expect, it } from "vitest";
import { lateOutcome, shareByWeight } from "../../grader/instructor/scoring.ts";

describe("shareByWeight", () => {
  it("shares points in whole cents that add up exactly", () => {
    const shares = shareByWeight(10, Array(21).fill(1));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 10);
    expect(new Set(shares)).toEqual(new Set([0.47, 0.48]));
    expect(shareByWeight(10, [1, 1, 1, 1, 1, 1, 1, 3])).toEqual([1, 1, 1, 1, 1, 1, 1, 3]);
  });

  it("gives a zero-weight check no points", () => {
    expect(shareByWeight(5, [0, 1, 1])).toEqual([0, 2.5, 2.5]);
  });
});

describe("lateOutcome", () => {
  const due = new Date("2026-12-01T23:59:00Z");
  const rule = { policy: "percent-per-day" as const, percentPerDay: 10, submittedAt: { kind: "folder-time" as const } };

  it("counts a part of a day as a whole day", () => {
    expect(lateOutcome(rule, due, new Date("2026-12-02T00:00:00Z"), "folder-time", 20)).toMatchObject({ daysLate: 1, penaltyPercent: 10, penaltyPoints: 2 });
  });

  it("takes nothing off work handed in on time, and caps the penalty at everything", () => {
    expect(lateOutcome(rule, due, new Date("2026-12-01T23:59:00Z"), "folder-time", 20)).toMatchObject({ daysLate: 0, penaltyPoints: 0 });
    expect(lateOutcome(rule, due, new Date("2026-12-20T00:00:00Z"), "folder-time", 20)).toMatchObject({ penaltyPercent: 100, penaltyPoints: 20 });
  });

  it("gives no credit at all after the due time under the zero rule", () => {
    expect(lateOutcome({ policy: "zero", submittedAt: { kind: "folder-time" } }, due, new Date("2026-12-02T00:00:01Z"), "folder-time", 17)).toMatchObject({ penaltyPercent: 100, penaltyPoints: 17 });
  });
});
