import { loadCourse } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { progressBar } from "../progress-bar.ts";

/** Lessons in order, each exercise with its status, and a progress bar. */
export async function list(args: string[], io: Io): Promise<number> {
  parseFlags("list", args, {}, { max: 0 });
  const course = loadCourse();
  const progress = Progress.load(course);
  if (progress.warning) io.err(progress.warning);
  io.out(listText(course, progress, io));
  return 0;
}

export function listText(course: ReturnType<typeof loadCourse>, progress: Progress, io: Io): string {
  const p = io.paint;
  const current = progress.current(course);
  const lines: string[] = [];
  for (const lesson of course.lessons) {
    lines.push(p.bold(`Lesson ${lesson.number}: ${lesson.title}`) + p.dim(`  (npx socketlings lesson ${lesson.number})`));
    for (const exercise of lesson.exercises) {
      const done = progress.isDone(exercise.id);
      const mark = done ? p.green("✓ done   ") : exercise.id === current ? p.yellow("▶ current") : p.dim("· to do  ");
      lines.push(`  ${mark}  ${exercise.id.padEnd(22)} ${p.dim(exercise.file)}`);
    }
  }
  const doneCount = course.exercises.filter((e) => progress.isDone(e.id)).length;
  lines.push("", `${progressBar(doneCount, course.exercises.length, 30)} ${doneCount}/${course.exercises.length} exercises done`);
  return lines.join("\n");
}
