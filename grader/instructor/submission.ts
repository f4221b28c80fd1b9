import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { shellQuote } from "../launcher/shell-quote.ts";
import type { ProgramSpec } from "../launcher/start-program.ts";
import type { AssignmentExercise, SubmissionTime } from "./assignment.ts";

/**
 * What to run for one exercise of one student: the assignment's command with
 * {dir} filled in, or the TypeScript file at the stub's path inside the
 * student's folder. `problem` says why nothing can run (a missing file).
 */
export function programFor(spec: AssignmentExercise, dir: string): { spec: ProgramSpec; problem?: string } {
  if (spec.run) {
    const program: ProgramSpec = { kind: "command", command: spec.run.replaceAll("{dir}", shellQuote(path.resolve(dir))) };
    // The files the command names inside the folder ({dir}/calculator.py) must be there.
    const named = [...spec.run.matchAll(/\{dir\}\/([^\s'"]+)/g)].map((m) => m[1]!);
    const missing = named.filter((file) => !existsSync(path.resolve(dir, file)));
    return missing.length > 0 ? { spec: program, problem: `missing ${missing.join(", ")} in the submission` } : { spec: program };
  }
  const file = path.resolve(dir, spec.exercise.file);
  if (!existsSync(file)) return { spec: { kind: "typescript", file }, problem: `missing ${spec.exercise.file} in the submission` };
  return { spec: { kind: "typescript", file } };
}

/**
 * When the student submitted: the newest modification time of any file in
 * their folder, or the time written in a file there (an LMS export's
 * timestamp). Null when it cannot be told, which counts as on time.
 */
export function submissionTime(dir: string, how: SubmissionTime): Date | null {
  if (how.kind === "timestamp-file") {
    try {
      const when = new Date(readFileSync(path.join(dir, how.file), "utf8").trim());
      return Number.isNaN(when.getTime()) ? null : when;
    } catch {
      return null;
    }
  }
  let newest = 0;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  try {
    walk(dir);
  } catch {
    return null;
  }
  return newest > 0 ? new Date(newest) : null;
}
