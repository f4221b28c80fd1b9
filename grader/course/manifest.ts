import { readFileSync } from "node:fs";
import path from "node:path";
import { courseRoot } from "./course-root.ts";
import { UsageError } from "../cli/usage-error.ts";

/** How long the grader waits, per exercise. Defaults come from the manifest's `defaults`. */
export interface Timeouts {
  /** From launch until the program listens (servers) or exits (clients). */
  startMs: number;
  /** One read from the program: how long a probe waits for a reply. */
  readMs: number;
  /** The watchdog of one whole check. */
  checkMs: number;
}

export type Transport = "tcp" | "udp";
export type Role = "server" | "client";

export interface Exercise {
  id: string;
  title: string;
  transport: Transport;
  role: Role;
  /** Paths relative to the course root. */
  file: string;
  solution: string;
  checks: string;
  hints: string[];
  timeouts: Timeouts;
  /** Extra environment variables the exercise's contract names. */
  env: Record<string, string>;
  /** Variables the program reads that each check sets itself (PORTS): `run` shows their values. */
  variables: string[];
  /**
   * A value for some of those variables that `run` uses when the learner has
   * not set them (ZONE_FILE: the example zone), paths relative to the course root.
   */
  examples: Record<string, string>;
  /** The command `run` suggests to poke the server with, `{port}` replaced: `curl -i http://127.0.0.1:{port}/`. */
  poke?: string;
  lesson: Lesson;
}

export interface Lesson {
  id: string;
  number: number;
  title: string;
  file: string;
  exercises: Exercise[];
}

export interface Course {
  root: string;
  welcome: string;
  final: string;
  lessons: Lesson[];
  exercises: Exercise[];
}

const DEFAULT_TIMEOUTS: Timeouts = { startMs: 5000, readMs: 1000, checkMs: 15000 };

/**
 * Reads and validates the course manifest. A broken manifest is a bug in the
 * course, not the learner's fault, so the message names the file and field.
 */
export function loadCourse(root: string = courseRoot()): Course {
  const file = path.join(root, "course.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the course manifest ${file}: ${(error as Error).message}`);
  }
  return parseCourse(raw, root, file);
}

export function parseCourse(raw: unknown, root: string, file = "course.json"): Course {
  const at = (where: string, problem: string): never => {
    throw new Error(`${file}: ${where}: ${problem}`);
  };
  const doc = object(raw, "the top level", at);
  if (doc.format !== 1) at("format", `expected 1, got ${JSON.stringify(doc.format)}`);
  const defaults = timeoutsOf(object(doc.defaults ?? {}, "defaults", at).timeouts, DEFAULT_TIMEOUTS, "defaults.timeouts", at);
  const lessons: Lesson[] = [];
  const exercises: Exercise[] = [];
  const ids = new Set<string>();
  array(doc.lessons, "lessons", at).forEach((rawLesson, i) => {
    const where = `lessons[${i}]`;
    const l = object(rawLesson, where, at);
    const lesson: Lesson = {
      id: string(l.id, `${where}.id`, at),
      number: number(l.number, `${where}.number`, at),
      title: string(l.title, `${where}.title`, at),
      file: string(l.file, `${where}.file`, at),
      exercises: [],
    };
    array(l.exercises, `${where}.exercises`, at).forEach((rawExercise, j) => {
      const w = `${where}.exercises[${j}]`;
      const e = object(rawExercise, w, at);
      const id = string(e.id, `${w}.id`, at);
      if (ids.has(id)) at(`${w}.id`, `"${id}" is used twice`);
      ids.add(id);
      const hints = array(e.hints, `${w}.hints`, at).map((h, k) => string(h, `${w}.hints[${k}]`, at));
      if (hints.length === 0) at(`${w}.hints`, "every exercise needs at least one hint");
      const exercise: Exercise = {
        id,
        title: string(e.title, `${w}.title`, at),
        transport: oneOf(e.transport, ["tcp", "udp"] as const, `${w}.transport`, at),
        role: oneOf(e.role, ["server", "client"] as const, `${w}.role`, at),
        file: string(e.file, `${w}.file`, at),
        solution: string(e.solution, `${w}.solution`, at),
        checks: string(e.checks, `${w}.checks`, at),
        hints,
        timeouts: timeoutsOf(e.timeouts, defaults, `${w}.timeouts`, at),
        env: stringRecord(e.env ?? {}, `${w}.env`, at),
        variables: array(e.variables ?? [], `${w}.variables`, at).map((v, k) => string(v, `${w}.variables[${k}]`, at)),
        examples: stringRecord(e.examples ?? {}, `${w}.examples`, at),
        ...(e.poke === undefined ? {} : { poke: string(e.poke, `${w}.poke`, at) }),
        lesson,
      };
      lesson.exercises.push(exercise);
      exercises.push(exercise);
    });
    lessons.push(lesson);
  });
  return {
    root,
    welcome: string(doc.welcome, "welcome", at),
    final: string(doc.final, "final", at),
    lessons,
    exercises,
  };
}

/** Finds an exercise by id, or fails with a message naming the valid ids. */
export function findExercise(course: Course, id: string | undefined): Exercise {
  const found = course.exercises.find((e) => e.id === id);
  if (found) return found;
  const valid = course.exercises.map((e) => e.id).join(", ");
  throw new UsageError(id ? `unknown exercise "${id}". Valid exercises: ${valid}` : `name an exercise. Valid exercises: ${valid}`);
}

type At = (where: string, problem: string) => never;

function object(v: unknown, where: string, at: At): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) at(where, "expected an object");
  return v as Record<string, unknown>;
}
function array(v: unknown, where: string, at: At): unknown[] {
  if (!Array.isArray(v)) at(where, "expected a list");
  return v as unknown[];
}
function string(v: unknown, where: string, at: At): string {
  if (typeof v !== "string" || v.trim() === "") at(where, "expected a non-empty string");
  return v as string;
}
function number(v: unknown, where: string, at: At): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) at(where, "expected a positive number");
  return v as number;
}
function oneOf<T extends string>(v: unknown, choices: readonly T[], where: string, at: At): T {
  if (!choices.includes(v as T)) at(where, `expected one of ${choices.join(", ")}`);
  return v as T;
}
function stringRecord(v: unknown, where: string, at: At): Record<string, string> {
  const o = object(v, where, at);
  for (const [k, value] of Object.entries(o)) string(value, `${where}.${k}`, at);
  return o as Record<string, string>;
}
function timeoutsOf(v: unknown, base: Timeouts, where: string, at: At): Timeouts {
  if (v === undefined) return base;
  const o = object(v, where, at);
  const pick = (key: keyof Timeouts) => (o[key] === undefined ? base[key] : number(o[key], `${where}.${key}`, at));
  return { startMs: pick("startMs"), readMs: pick("readMs"), checkMs: pick("checkMs") };
}
