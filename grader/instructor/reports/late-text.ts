import type { LateOutcome } from "../class-results.ts";
import { formatPoints, pointsPhrase } from "./points.ts";

/** Whether the late rule took anything off: only then do reports mention lateness at all. */
export function hasLatePenalty(late: LateOutcome): boolean {
  return late.penaltyPoints > 0;
}

/**
 * The late penalty in one line, for students and instructors alike:
 * "2 days late (10% per day late): −20%, −4 points".
 */
export function describeLatePenalty(late: LateOutcome): string {
  const days = late.daysLate === 1 ? "1 day" : `${late.daysLate} days`;
  return `${days} late (${late.rule}): −${formatPoints(late.penaltyPercent)}%, −${pointsPhrase(late.penaltyPoints)}`;
}
