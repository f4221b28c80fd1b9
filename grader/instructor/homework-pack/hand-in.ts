import type { AssignmentExercise } from "../assignment.ts";

/** What a student hands in for one exercise, and how they grade it themselves. */
export interface HandIn {
  /** Files the grader looks for, relative to the student's folder (none when the command names no file). */
  files: string[];
  /** The assignment's command, when the exercise is not graded as TypeScript. */
  run: string | undefined;
  /** `npx socketlings grade ...` run from the student's folder, as the assignment will grade it. */
  selfGrade: string;
}

/**
 * Read from the assignment: the TypeScript file at the stub's path, or the
 * files the run command names under {dir} ("python3 {dir}/calculator.py"
 * wants calculator.py). The self-grading command runs the same program from
 * the student's own folder, so {dir}/ simply goes.
 */
export function handInFor(task: AssignmentExercise): HandIn {
  const id = task.exercise.id;
  if (!task.run) return { files: [task.exercise.file], run: undefined, selfGrade: `npx socketlings grade ${id}` };
  const files = words(task.run)
    .filter((word) => word.startsWith("{dir}/") && word.length > "{dir}/".length)
    .map((word) => word.slice("{dir}/".length));
  const local = task.run.replace(/\{dir\}\//g, "").replace(/\{dir\}/g, ".");
  return { files: [...new Set(files)], run: task.run, selfGrade: `npx socketlings grade ${id} --cmd ${quoteForShell(local)}` };
}

/** The command's words, shell quotes taken off: enough to find the paths in a run template. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

/** Double quotes as the README writes them, single ones when the command holds a double quote. */
function quoteForShell(command: string): string {
  if (!command.includes('"')) return `"${command.replace(/[$`\\]/g, "\\$&")}"`;
  return `'${command.replace(/'/g, `'\\''`)}'`;
}
