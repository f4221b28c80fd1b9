import type { Lesson } from "../../course/manifest.ts";
import type { Assignment, AssignmentExercise } from "../assignment.ts";
import { formatPoints, pointsPhrase } from "../reports/points.ts";
import { handInFor } from "./hand-in.ts";
import { dueText, lateRuleText } from "./rule-text.ts";

/** The assignment file's name inside a pack: ASSIGNMENT.md and the workflows name it so. */
export const PACK_ASSIGNMENT_FILE = "assignment.json";

/**
 * ASSIGNMENT.md, the student's page of a homework pack: when it is due, what
 * lateness costs, what each exercise is worth and how its points are shared
 * over the checks, what to hand in, and the commands to grade themselves.
 * Hidden checks are counted, never named: only the instructor releases them.
 */
export function assignmentMarkdown(assignment: Assignment): string {
  const tasks = assignment.exercises;
  const total = tasks.reduce((sum, t) => sum + t.points, 0);
  const hiddenOf = (t: AssignmentExercise) => (assignment.hiddenReleased ? [] : t.hidden);
  const hiddenCount = tasks.reduce((sum, t) => sum + hiddenOf(t).length, 0);
  const lessons = lessonsOf(assignment);
  const out: string[] = [`# ${assignment.title}`, ""];

  if (assignment.due) {
    const due = dueText(assignment.due);
    out.push(`- **Due:** ${due.utc} (${due.words})`);
  }
  out.push(`- **Late work:** ${lateRuleText(assignment)}`, `- **Points:** ${formatPoints(total)} in all`, "");

  out.push("## Exercises", "", "| exercise | lesson | points | checks | you hand in |", "| --- | --- | --- | --- | --- |");
  for (const task of tasks) {
    const hidden = hiddenOf(task).length;
    const checks = `${task.checkNames.length}${hidden > 0 ? `, ${hidden} of them hidden` : ""}`;
    const files = handInFor(task).files;
    out.push(
      `| \`${task.exercise.id}\`: ${cell(task.exercise.title)} | ${task.exercise.lesson.number}. ${cell(task.exercise.lesson.title)} | ${formatPoints(task.points)} | ${checks} | ${files.length > 0 ? files.map((f) => `\`${f}\``).join(", ") : "see below"} |`,
    );
  }
  out.push(
    "",
    "An exercise's points are shared over its checks, so a program that passes some of them earns part of the points.",
    "",
  );
  if (hiddenCount > 0) {
    const where = tasks.filter((t) => hiddenOf(t).length > 0).map((t) => `${hiddenOf(t).length} in \`${t.exercise.id}\``).join(", ");
    out.push(
      "### Hidden checks",
      "",
      hiddenCount === 1
        ? `1 check is hidden (${where}). It counts toward your points like every other check, but your grade report does not name it or show its result until your instructor releases it.`
        : `${hiddenCount} checks are hidden (${where}). They count toward your points like every other check, but your grade report does not name them or show their results until your instructor releases them.`,
      "",
      "Passing every check listed below is not the whole grade: handle every case the lesson and the starting file describe.",
      "",
    );
  }

  for (const task of tasks) out.push(...exerciseSection(task, hiddenOf(task)));

  out.push(
    "## What to hand in",
    "",
    "Hand in this whole folder the way your instructor asked (a repository, or a zip without `node_modules/`). The grader looks for:",
    "",
    ...tasks.map((task) => {
      const { files, run } = handInFor(task);
      if (!run) return `- \`${files[0]}\`, for \`${task.exercise.id}\``;
      const named = files.length > 0 ? `${files.map((f) => `\`${f}\``).join(", ")}, for \`${task.exercise.id}\`: ` : `for \`${task.exercise.id}\`, `;
      return `- ${named}the grader runs \`${run}\`, \`{dir}\` being your folder`;
    }),
    "",
    "## Grade yourself before you hand in",
    "",
    "You need Node.js 20.19 or newer. In this folder:",
    "",
    "```sh",
    "npm install          # once",
    "npx socketlings      # watch mode: the current exercise, graded every time you save it",
    ...tasks.map((task) => handInFor(task).selfGrade),
    `npx socketlings grade-submission ${PACK_ASSIGNMENT_FILE} .   # the whole assignment, points counted as your instructor counts them`,
    "```",
    "",
    "`grade` stops at the first failing check and tells you what was sent, what came back and what to try; add `--all` to run every check, and `npx socketlings hint <exercise>` gives a hint.",
    ...(tasks.some((t) => t.run) ? ["Watch mode grades the TypeScript files; for an exercise you write in another language, use its `grade ... --cmd` line above."] : []),
    "Keep your work in git (`git init`, then commit): `npx socketlings reset <exercise>` restores a starting file from the last commit.",
    "",
    "## Lessons",
    "",
    ...lessons.map((lesson) => `- Lesson ${lesson.number}: [${lesson.title}](${lesson.file}), or \`npx socketlings lesson ${lesson.number}\` in the terminal`),
    "",
  );
  return out.join("\n");
}

/** One exercise: where it starts, what it is graded on, and what each visible check is worth. */
function exerciseSection(task: AssignmentExercise, hidden: string[]): string[] {
  const { id, title, file, lesson } = task.exercise;
  const weightOf = (name: string) => task.weights[name] ?? 1;
  const totalWeight = task.checkNames.reduce((sum, name) => sum + weightOf(name), 0) || 1;
  const visible = task.checkNames.filter((name) => !hidden.includes(name));
  const { run, selfGrade } = handInFor(task);
  return [
    `### \`${id}\`: ${title} (${formatPoints(task.points)} points)`,
    "",
    `From lesson ${lesson.number}, [${lesson.title}](${lesson.file}). Starting file: \`${file}\`.` +
      (run ? ` You write it in the language of your choice: the grader runs \`${run}\`.` : ""),
    "",
    "Checks:",
    "",
    ...visible.map((name) => `- ${name}: ${pointsPhrase((task.points * weightOf(name)) / totalWeight)}`),
    ...(hidden.length > 0 ? [`- and ${hidden.length} hidden ${hidden.length === 1 ? "check" : "checks"}`] : []),
    "",
    `Grade it: \`${selfGrade}\``,
    "",
  ];
}

/** The lessons of the assigned exercises, in course order, once each. */
export function lessonsOf(assignment: Assignment): Lesson[] {
  const lessons = new Map(assignment.exercises.map((t) => [t.exercise.lesson.id, t.exercise.lesson]));
  return [...lessons.values()].sort((a, b) => a.number - b.number);
}

/** A table cell: a "|" in a title would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
