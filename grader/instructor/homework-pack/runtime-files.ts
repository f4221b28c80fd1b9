import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import type { Assignment } from "../assignment.ts";
import { PACK_ASSIGNMENT_FILE } from "./assignment-markdown.ts";

type Json = Record<string, unknown>;

/**
 * The course manifest cut down to the assigned exercises and their lessons,
 * so `list` and watch mode show only the homework. Edited as raw JSON, not
 * rebuilt from the parsed course, so every field the course has (timeouts,
 * env, variables, fields added later) reaches the pack as it was.
 */
export function packCourseJson(root: string, assignment: Assignment): string {
  const raw = readJson(path.join(root, "course.json"));
  const ids = new Set(assignment.exercises.map((t) => t.exercise.id));
  const lessons = (raw.lessons as Json[])
    .map((lesson) => ({ ...lesson, exercises: (lesson.exercises as Json[]).filter((e) => ids.has(e.id as string)) }))
    .filter((lesson) => lesson.exercises.length > 0);
  const welcome = `${assignment.title}: read ASSIGNMENT.md for the points, the due date and what to hand in.\n${String(raw.welcome)}`;
  const final = `You passed every exercise of ${assignment.title}. Before you hand it in, grade the whole assignment as your instructor will: npx socketlings grade-submission ${PACK_ASSIGNMENT_FILE} .`;
  return json({ ...raw, welcome, final, lessons });
}

/**
 * package.json with scripts that make sense in a pack: the course's own
 * test and bench scripts need folders the pack leaves out. Dependencies stay
 * exactly as they are, so package-lock.json still matches and `npm ci` works.
 */
export function packPackageJson(root: string): string {
  const raw = readJson(path.join(root, "package.json"));
  return json({ ...raw, scripts: { test: `node bin/socketlings.mjs grade-submission ${PACK_ASSIGNMENT_FILE} .`, typecheck: "tsc --noEmit" } });
}

/** tsconfig.json including only the folders the pack has, so an editor and `tsc` find no missing inputs. */
export function packTsconfig(root: string, folders: string[]): string {
  // tsconfig.json may hold comments, as TypeScript allows: read it as JSONC.
  const raw = parseJsonc(readFileSync(path.join(root, "tsconfig.json"), "utf8")) as Json;
  const include = Array.isArray(raw.include) ? (raw.include as string[]).filter((entry) => folders.includes(entry)) : raw.include;
  return json({ ...raw, include });
}

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
