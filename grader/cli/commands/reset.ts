import { mkdirSync, readFileSync, renameSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { execa } from "execa";
import { findExercise, loadCourse, type Course, type Exercise } from "../../course/manifest.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";

/** Restores an exercise's starting file, after asking, keeping the learner's version as a backup. */
export async function reset(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags("reset", args, { yes: { type: "boolean", short: "y" } }, { max: 1 });
  const course = loadCourse();
  const exercise = findExercise(course, positionals[0]);
  const file = path.join(course.root, exercise.file);
  const original = await originalOf(course, exercise);
  const mine = existsSync(file) ? readFileSync(file) : undefined;
  if (mine?.equals(original)) {
    io.out(`${exercise.file} is already the starting version.`);
    return 0;
  }
  if (!values.yes) {
    if (!process.stdin.isTTY) throw new UsageError("reset asks before it overwrites your work: run it in a terminal, or pass --yes");
    const ask = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await ask.question(`Reset ${exercise.file} to its starting version? Your version is kept as a backup. [y/N] `);
    ask.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.out("Nothing changed.");
      return 0;
    }
  }
  const backup = mine ? keepBackup(course, exercise, file) : undefined;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, original);
  renameSync(temporary, file);
  io.out(`Reset ${exercise.file}.${backup ? ` Your version is in ${path.relative(process.cwd(), backup)}.` : ""}`);
  return 0;
}

/** The exercise file as the course shipped it: its last committed version. */
export async function originalOf(course: Course, exercise: Exercise): Promise<Buffer> {
  const result = await execa("git", ["show", `HEAD:${exercise.file}`], { cwd: course.root, encoding: "buffer", reject: false, stripFinalNewline: false });
  if (result.exitCode !== 0 || result.failed) {
    throw new UsageError(`cannot find the starting version of ${exercise.file}: reset takes it from git, and this folder is not a git checkout that holds it (${String(result.stderr).trim() || result.shortMessage})`);
  }
  return Buffer.from(result.stdout);
}

function keepBackup(course: Course, exercise: Exercise, file: string): string {
  const folder = path.join(course.root, ".socketlings", "backups");
  mkdirSync(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const backup = path.join(folder, `${exercise.id}-${stamp}${path.extname(file)}`);
  copyFileSync(file, backup);
  return backup;
}
