import type { CheckOutcome, ClassResults, ExerciseOutcome, StudentOutcome } from "../class-results.ts";
import { checkFeedback, isWithheld } from "./check-text.ts";
import { describeLatePenalty, hasLatePenalty } from "./late-text.ts";
import { markdownCodeBlock, markdownInline, markdownQuote } from "./markdown-text.ts";
import { formatPoints, pointsPhrase, sum } from "./points.ts";

const MARK = { passed: "✓", failed: "✗", skipped: "○" } as const;

/**
 * A student's feedback as Markdown: the assignment, their total, the late
 * penalty if any, then each exercise with its points and one ✓/✗ line per
 * check; a failed check shows the same failure text the learner sees in the
 * terminal. Hidden checks not yet released are left out entirely, names and
 * messages alike: only how many there are and what they are worth.
 */
export function feedbackMarkdown(student: StudentOutcome, results: ClassResults): string {
  const lines = [
    `# ${markdownInline(results.assignment.title)}: feedback for ${markdownInline(student.id)}`,
    "",
    `**Total: ${formatPoints(student.total)} / ${pointsPhrase(student.maxPoints)}**`,
    "",
  ];
  if (hasLatePenalty(student.late)) {
    lines.push(`Late: ${markdownInline(describeLatePenalty(student.late))}. Before the penalty: ${pointsPhrase(student.points)}.`, "");
  }
  if (student.error !== undefined) {
    lines.push("> **The grader failed on this submission** (a bug in socketlings, not in your program); your instructor will grade it again.", "", ...markdownCodeBlock(student.error, ""), "");
  }
  for (const exercise of student.exercises) lines.push(...exerciseSection(exercise, results.hiddenReleased));
  return lines.join("\n");
}

function exerciseSection(exercise: ExerciseOutcome, hiddenReleased: boolean): string[] {
  const lines = [`## ${markdownInline(exercise.title)} (${markdownInline(exercise.id)}): ${formatPoints(exercise.points)} / ${pointsPhrase(exercise.maxPoints)}`, ""];
  if (exercise.problem !== undefined) {
    lines.push(...markdownQuote(`**⚠ Could not be checked:** ${markdownInline(exercise.problem)}`), "");
  }
  const shown = exercise.checks.filter((c) => !isWithheld(c, hiddenReleased));
  let previous: CheckOutcome | undefined;
  for (const check of shown) {
    lines.push(...checkLines(exercise, check, previous));
    if (check.status === "failed") previous = check;
  }
  // A failed check already ends in a blank line after its text block.
  if (lines.at(-1) !== "") lines.push("");
  const withheld = exercise.checks.filter((c) => isWithheld(c, hiddenReleased));
  if (withheld.length > 0) {
    const checks = withheld.length === 1 ? "1 hidden check" : `${withheld.length} hidden checks`;
    lines.push(`${checks} (worth ${pointsPhrase(sum(withheld.map((c) => c.maxPoints)))}) will be shown after release.`, "");
  }
  return lines;
}

function checkLines(exercise: ExerciseOutcome, check: CheckOutcome, previousFailure: CheckOutcome | undefined): string[] {
  const hidden = check.hidden ? " (hidden check)" : "";
  const head = `- ${MARK[check.status]} ${markdownInline(check.name)}${hidden}: ${formatPoints(check.points)} / ${formatPoints(check.maxPoints)}`;
  if (check.status === "passed") return [head];
  // A check that never ran has no transcript; the exercise's problem, shown above, usually says why.
  if (check.status === "skipped") return [`${head} (not run${check.message ? `: ${markdownInline(check.message)}` : ""})`];
  // A program that never started fails every check the same way: say it once.
  if (previousFailure && check.message === previousFailure.message && check.hint === previousFailure.hint) {
    return [`${head} (the same failure as above)`];
  }
  // Indented by two spaces so the block belongs to the list item.
  return [head, "", ...markdownCodeBlock(checkFeedback(exercise, check), "  "), ""];
}
