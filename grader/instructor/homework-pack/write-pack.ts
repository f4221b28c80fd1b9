import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Course, Lesson } from "../../course/manifest.ts";
import { UsageError } from "../../cli/usage-error.ts";
import type { Assignment } from "../assignment.ts";
import { PACK_ASSIGNMENT_FILE, assignmentMarkdown, lessonsOf } from "./assignment-markdown.ts";
import { packCourseJson, packPackageJson, packTsconfig } from "./runtime-files.ts";

/**
 * Copied whole: the CLI, and the grader with every check and the harness
 * they import. Solutions, tests and benchmarks stay out: a student must
 * never get the reference solutions.
 */
const RUNTIME_FOLDERS = ["bin", "grader"];
/** The lock file keeps `npm ci` exact (the Classroom workflow needs it). */
const RUNTIME_FILES = ["package-lock.json"];
/** Copied when the course has it: .gitignore keeps node_modules/ out of a template repository. */
const OPTIONAL_FILES = [".gitignore"];
/** Folders a pack is built from: writing the pack inside one would copy it into itself. */
const SOURCE_FOLDERS = [...RUNTIME_FOLDERS, "lessons", "exercises"];

export interface HomeworkPack {
  dir: string;
  /** Every file written, relative to `dir`, sorted. */
  files: string[];
  lessons: Lesson[];
}

type Entry = { to: string; from: string } | { to: string; text: string };

/**
 * Writes a homework pack into `out` (absent or empty): ASSIGNMENT.md, the
 * assignment file, the lessons of the assigned exercises with their images,
 * the stubs at their paths, and the course runtime cut down to the homework.
 * Built in a folder beside `out` and renamed into place, so a failure
 * leaves no half-made pack.
 */
export function writeHomeworkPack(course: Course, assignment: Assignment, out: string): HomeworkPack {
  const dir = path.resolve(out);
  const root = course.root;
  for (const folder of SOURCE_FOLDERS) {
    const inside = path.relative(path.join(root, folder), dir);
    if (inside === "" || (!inside.startsWith("..") && !path.isAbsolute(inside))) {
      throw new UsageError(`assign: --out ${out} is inside the course's ${folder}/ folder, which the pack copies; choose a folder outside it`);
    }
  }
  const lessons = lessonsOf(assignment);
  const entries: Entry[] = [
    { to: "ASSIGNMENT.md", text: assignmentMarkdown(assignment) },
    { to: PACK_ASSIGNMENT_FILE, text: readFileSync(assignment.file, "utf8") },
    { to: "course.json", text: packCourseJson(root, assignment) },
    { to: "package.json", text: packPackageJson(root) },
    { to: "tsconfig.json", text: packTsconfig(root, [...RUNTIME_FOLDERS, "exercises"]) },
    ...RUNTIME_FILES.map((file) => ({ to: file, from: file })),
    ...OPTIONAL_FILES.filter((file) => existsSync(path.join(root, file))).map((file) => ({ to: file, from: file })),
    ...RUNTIME_FOLDERS.map((folder) => ({ to: folder, from: folder })),
    ...lessons.flatMap((lesson) => [{ to: lesson.file, from: lesson.file }, ...imagesOf(root, lesson.file).map((image) => ({ to: image, from: image }))]),
    ...assignment.exercises.map((task) => ({ to: task.exercise.file, from: task.exercise.file })),
    // Files the exercise reads by hand, such as the example zone `run` serves.
    ...assignment.exercises.flatMap((task) => Object.values(task.exercise.examples).map((file) => ({ to: file, from: file }))),
  ];
  const missing = entries.filter((e) => "from" in e && !existsSync(path.join(root, e.from)));
  if (missing.length > 0) {
    throw new UsageError(`assign: the course is missing ${missing.map((e) => ("from" in e ? e.from : e.to)).join(", ")}, which the pack needs`);
  }

  mkdirSync(path.dirname(dir), { recursive: true });
  const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    for (const entry of entries) {
      const target = path.join(staging, entry.to);
      mkdirSync(path.dirname(target), { recursive: true });
      if ("text" in entry) writeFileSync(target, entry.text);
      // A working copy's grader/ may hold a node_modules of its own: never ship one.
      else cpSync(path.join(root, entry.from), target, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
    }
    // An empty --out was allowed: rename(2) will not replace it, so it goes first.
    if (existsSync(dir)) rmdirSync(dir);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir, files: listFiles(dir), lessons };
}

/**
 * The images a lesson shows (`![...](images/x.svg)`), with the text twin
 * (`images/x.txt`) the terminal renderer prints in their place.
 */
function imagesOf(root: string, lessonFile: string): string[] {
  const text = readFileSync(path.join(root, lessonFile), "utf8");
  const found = new Set<string>();
  for (const match of text.matchAll(/\bimages\/[\w.\-/]+\.[a-z]+/gi)) {
    const image = path.posix.join(path.posix.dirname(lessonFile), match[0]);
    found.add(image);
    const twin = image.replace(/\.[a-z]+$/i, ".txt");
    if (existsSync(path.join(root, twin))) found.add(twin);
  }
  return [...found];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
