import { existsSync, readFileSync } from "node:fs";
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
  io.out(renderMarkdownForTerminal(markdown, { width, color: io.color, imageText: (src) => textFormOf(path.join(course.root, path.dirname(found.file)), src) }));
  return 0;
}

/** A diagram's text twin: images/tcp-handshake.svg → images/tcp-handshake.txt, when it exists. */
export function textFormOf(lessonDir: string, src: string): string | undefined {
  if (/^[a-z]+:/i.test(src)) return undefined;
  const file = path.join(lessonDir, src.replace(/\.[a-z]+$/i, ".txt"));
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
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
