import { readFileSync } from "node:fs";
import path from "node:path";
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Course, Exercise } from "../course/manifest.ts";
import { checkNamesOf } from "../course/check-names.ts";
import { UsageError } from "../cli/usage-error.ts";

/** An instructor's assignment: which exercises, for how many points, how late work is counted. */
export interface Assignment {
  file: string;
  title: string;
  due: Date | null;
  late: LateRule;
  /** Hidden checks are shown to students once this is true (or --release-hidden is given). */
  hiddenReleased: boolean;
  exercises: AssignmentExercise[];
}

export type LateRule =
  | { policy: "none" }
  | { policy: "zero"; submittedAt: SubmissionTime }
  | { policy: "percent-per-day"; percentPerDay: number; submittedAt: SubmissionTime };

/** Where a submission's time comes from: its newest file, or a file that holds the time. */
export type SubmissionTime = { kind: "folder-time" } | { kind: "timestamp-file"; file: string };

export interface AssignmentExercise {
  exercise: Exercise;
  points: number;
  /** A command template ("python3 {dir}/calc.py"); none means the TypeScript file at the stub's path. */
  run: string | undefined;
  /** Check name → weight; checks not named weigh 1. */
  weights: Record<string, number>;
  hidden: string[];
  /** Every check of the exercise, in order, read from its check file. */
  checkNames: string[];
  timeLimitSeconds: number;
}

const DEFAULT_TIME_LIMIT_SECONDS = 60;

/**
 * Reads and checks an assignment file (JSON; comments and trailing commas
 * allowed). Any mistake is a UsageError naming the file, line and column,
 * the field, and what was expected: nothing is graded from a broken file.
 */
export function loadAssignment(file: string, course: Course): Assignment {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the assignment ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseAssignment(text, path.resolve(file), course);
}

export function parseAssignment(text: string, file: string, course: Course): Assignment {
  const name = path.relative(process.cwd(), file) || file;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const where = (offset: number) => {
    const before = text.slice(0, offset).split("\n");
    return `${name}:${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
  };
  if (errors.length > 0 || !root) {
    const first = errors[0];
    throw new UsageError(`${first ? where(first.offset) : name}: not valid JSON: ${first ? printParseErrorCode(first.error) : "the file is empty"}`);
  }
  const fail = (at: (string | number)[], problem: string): never => {
    const node = findNodeAtLocation(root, at) ?? parentOf(root, at);
    throw new UsageError(`${where(node?.offset ?? 0)}: ${fieldName(at)}: ${problem}`);
  };
  const value = (at: (string | number)[]): unknown => {
    const node = findNodeAtLocation(root, at);
    return node ? nodeValue(node) : undefined;
  };

  const doc = value([]);
  if (!isObject(doc)) fail([], "expected an object with title, exercises and (optionally) due and late");
  onlyFields(doc as Record<string, unknown>, [], ["title", "due", "late", "hiddenReleased", "timeLimitSeconds", "exercises"], fail);
  const title = value(["title"]);
  if (typeof title !== "string" || title.trim() === "") fail(["title"], `expected the assignment's title, a non-empty string, got ${show(title)}`);
  const dueText = value(["due"]);
  let due: Date | null = null;
  if (dueText !== undefined) {
    due = typeof dueText === "string" ? new Date(dueText) : null;
    if (!due || Number.isNaN(due.getTime()) || !/T.*(Z|[+-]\d\d:\d\d)$/.test(String(dueText))) {
      fail(["due"], `expected a date and time with its zone, like "2026-12-01T23:59:00Z", got ${show(dueText)}`);
    }
  }
  const late = parseLate(value(["late"]), due, fail);
  const hiddenReleased = value(["hiddenReleased"]) ?? false;
  if (typeof hiddenReleased !== "boolean") fail(["hiddenReleased"], `expected true or false, got ${show(hiddenReleased)}`);
  const defaultLimit = value(["timeLimitSeconds"]) ?? DEFAULT_TIME_LIMIT_SECONDS;
  if (!isPositive(defaultLimit)) fail(["timeLimitSeconds"], `expected a positive number of seconds, got ${show(defaultLimit)}`);

  const list = value(["exercises"]);
  if (!Array.isArray(list) || list.length === 0) fail(["exercises"], "expected a list of at least one exercise");
  const seen = new Set<string>();
  const exercises = (list as unknown[]).map((entry, i): AssignmentExercise => {
    const at = (...rest: (string | number)[]) => ["exercises", i, ...rest];
    if (!isObject(entry)) fail(at(), `expected an object like { "id": "udp-calculator", "points": 10 }, got ${show(entry)}`);
    onlyFields(entry as Record<string, unknown>, at(), ["id", "points", "run", "weights", "hidden", "timeLimitSeconds"], fail);
    const e = entry as Record<string, unknown>;
    const exercise = course.exercises.find((x) => x.id === e.id);
    if (!exercise) fail(at("id"), `expected one of the course's exercises (${course.exercises.map((x) => x.id).join(", ")}), got ${show(e.id)}`);
    if (seen.has(exercise!.id)) fail(at("id"), `"${exercise!.id}" is listed twice`);
    seen.add(exercise!.id);
    if (!isPositive(e.points)) fail(at("points"), `expected a positive number of points, got ${show(e.points)}`);
    if (e.run !== undefined && (typeof e.run !== "string" || !e.run.includes("{dir}"))) {
      fail(at("run"), `expected a command with {dir} for the student's folder, like "python3 {dir}/calc.py", got ${show(e.run)}`);
    }
    const checkNames = checkNamesOf(path.join(course.root, exercise!.checks));
    const known = (name: string, field: (string | number)[]) => {
      if (!checkNames.includes(name)) fail(field, `"${name}" is not a check of ${exercise!.id}; its checks are: ${checkNames.map((n) => `"${n}"`).join(", ")}`);
    };
    const weights = (e.weights ?? {}) as unknown;
    if (!isObject(weights)) fail(at("weights"), `expected an object of check name → weight, got ${show(weights)}`);
    for (const [check, weight] of Object.entries(weights as Record<string, unknown>)) {
      known(check, at("weights", check));
      if (typeof weight !== "number" || !(weight >= 0)) fail(at("weights", check), `expected a weight of 0 or more, got ${show(weight)}`);
    }
    const hidden = (e.hidden ?? []) as unknown;
    if (!Array.isArray(hidden) || hidden.some((h) => typeof h !== "string")) fail(at("hidden"), `expected a list of check names, got ${show(hidden)}`);
    (hidden as string[]).forEach((check, k) => known(check, at("hidden", k)));
    const limit = e.timeLimitSeconds ?? defaultLimit;
    if (!isPositive(limit)) fail(at("timeLimitSeconds"), `expected a positive number of seconds, got ${show(limit)}`);
    return {
      exercise: exercise!,
      points: e.points as number,
      run: e.run as string | undefined,
      weights: weights as Record<string, number>,
      hidden: hidden as string[],
      checkNames,
      timeLimitSeconds: limit as number,
    };
  });
  return { file, title: title as string, due, late, hiddenReleased: hiddenReleased as boolean, exercises };
}

function parseLate(raw: unknown, due: Date | null, fail: (at: (string | number)[], problem: string) => never): LateRule {
  if (raw === undefined) return { policy: "none" };
  if (!isObject(raw)) fail(["late"], `expected an object like { "policy": "percent-per-day", "percentPerDay": 10 }, got ${show(raw)}`);
  const late = raw as Record<string, unknown>;
  onlyFields(late, ["late"], ["policy", "percentPerDay", "submittedAt"], fail);
  const policies = ["none", "zero", "percent-per-day"];
  if (!policies.includes(late.policy as string)) fail(["late", "policy"], `expected one of ${policies.map((p) => `"${p}"`).join(", ")}, got ${show(late.policy)}`);
  if (late.policy === "none") return { policy: "none" };
  if (!due) fail(["late"], 'a late rule needs the assignment\'s "due" time');
  const submittedAt = parseSubmittedAt(late.submittedAt, fail);
  if (late.policy === "zero") return { policy: "zero", submittedAt };
  const percent = late.percentPerDay;
  if (typeof percent !== "number" || !(percent > 0 && percent <= 100)) fail(["late", "percentPerDay"], `expected a percentage from 0 to 100 (taken off per day late), got ${show(percent)}`);
  return { policy: "percent-per-day", percentPerDay: percent as number, submittedAt };
}

function parseSubmittedAt(raw: unknown, fail: (at: (string | number)[], problem: string) => never): SubmissionTime {
  if (raw === undefined || raw === "folder-time") return { kind: "folder-time" };
  if (isObject(raw) && typeof (raw as Record<string, unknown>).file === "string" && Object.keys(raw as object).length === 1) {
    const file = (raw as { file: string }).file;
    if (path.isAbsolute(file) || file.split(/[\\/]/).includes("..")) fail(["late", "submittedAt", "file"], `expected a file name inside the student's folder, got ${show(file)}`);
    return { kind: "timestamp-file", file };
  }
  return fail(["late", "submittedAt"], `expected "folder-time" (the newest file in the student's folder) or { "file": "<name>" } (a file in the folder holding the time), got ${show(raw)}`);
}

function onlyFields(object: Record<string, unknown>, at: (string | number)[], allowed: string[], fail: (at: (string | number)[], problem: string) => never): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail([...at, key], `unknown field; expected one of ${allowed.join(", ")}`);
  }
}

function parentOf(root: Node, at: (string | number)[]): Node | undefined {
  for (let n = at.length - 1; n >= 0; n--) {
    const node = findNodeAtLocation(root, at.slice(0, n));
    if (node) return node;
  }
  return root;
}

/** `exercises[0].points`, `late.policy`: the field as an instructor would write its path. */
function fieldName(at: (string | number)[]): string {
  if (at.length === 0) return "the file";
  return at.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : /^[A-Za-z_]\w*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join("");
}

function nodeValue(node: Node): unknown {
  if (node.type === "object") return Object.fromEntries((node.children ?? []).map((p) => [p.children?.[0]?.value as string, p.children?.[1] ? nodeValue(p.children[1]) : undefined]));
  if (node.type === "array") return (node.children ?? []).map(nodeValue);
  return node.value;
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
const isPositive = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v > 0;
const show = (v: unknown): string => (v === undefined ? "nothing" : JSON.stringify(v));
