import type { Assignment, LateRule } from "../assignment.ts";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * The due time twice, both in UTC: "2026-12-01 23:59 UTC" to compare and
 * "Tuesday 1 December 2026 at 23:59 UTC" to read. Written out by hand, not
 * with Intl, so the pack reads the same whatever the instructor's locale.
 */
export function dueText(due: Date): { utc: string; words: string } {
  const pad = (n: number) => String(n).padStart(2, "0");
  const seconds = due.getUTCSeconds() === 0 ? "" : `:${pad(due.getUTCSeconds())}`;
  const time = `${pad(due.getUTCHours())}:${pad(due.getUTCMinutes())}${seconds}`;
  const day = `${due.getUTCFullYear()}-${pad(due.getUTCMonth() + 1)}-${pad(due.getUTCDate())}`;
  return {
    utc: `${day} ${time} UTC`,
    words: `${WEEKDAYS[due.getUTCDay()]} ${due.getUTCDate()} ${MONTHS[due.getUTCMonth()]} ${due.getUTCFullYear()} at ${time} UTC`,
  };
}

/** The late rule as a student needs it: what it costs, and how the grader tells when work was handed in. */
export function lateRuleText(assignment: Pick<Assignment, "due" | "late">): string {
  const rule: LateRule = assignment.late;
  if (!assignment.due) return "There is no due date.";
  if (rule.policy === "none") return "Work handed in after the due time is graded like work on time.";
  const when =
    rule.submittedAt.kind === "folder-time"
      ? "The time of your submission is the time of the newest file in your folder."
      : `The time of your submission is the one written in \`${rule.submittedAt.file}\` in your folder.`;
  if (rule.policy === "zero") return `Work handed in after the due time gets no points. ${when}`;
  const percent = rule.percentPerDay;
  const daysToZero = Math.ceil(100 / percent);
  return (
    `${percent}% of your points are taken off for each day late, a part of a day counting as a whole day` +
    `${percent < 100 ? ` (${daysToZero} ${daysToZero === 1 ? "day" : "days"} late leaves no points)` : ""}. ${when}`
  );
}

