import { readFileSync } from "node:fs";
import path from "node:path";
import { loadCourse, type Course, type Lesson } from "../../course/manifest.ts";
import { renderMarkdownForTerminal } from "../../lesson/render-terminal.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";

/** Prints a lesson rendered for the terminal (or its Markdown source with --raw). */
export async function lesson(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags("lesson", args, { raw: { type: "boolean" } }, { max: 1 });
  const course = loadCourse();
  const found = findLesson(course, positionals[0]);
  const markdown = readFileSync(path.join(course.root, found.file), "utf8");
  if (values.raw) {
    io.out(markdown);
    return 0;
  }
  const width = Math.min(process.stdout.columns || 80, 100);
  io.out(renderMarkdownForTerminal(markdown, { width, color: io.color }));
  return 0;
}

/** A lesson by number ("4"), id ("sockets"), or the id of one of its exercises. */
export function findLesson(course: Course, key: string | undefined): Lesson {
  const found = course.lessons.find(
    (l) => String(l.number) === key || l.id === key || `${String(l.number).padStart(2, "0")}-${l.id}` === key || l.exercises.some((e) => e.id === key),
  );
  if (found) return found;
  const valid = course.lessons.map((l) => `${l.number} (${l.id})`).join(", ");
  throw new UsageError(key ? `unknown lesson "${key}". Valid lessons: ${valid}` : `name a lesson. Valid lessons: ${valid}`);
}
