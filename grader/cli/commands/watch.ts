import { createHash } from "node:crypto";
import { readFileSync, watch as watchFolder, type FSWatcher } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { loadCourse, type Course, type Exercise } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import { Grader } from "../../grading/grader.ts";
import { formatCheck, formatSummary } from "../../report/failure-text.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { progressBar } from "../progress-bar.ts";
import { nextHint } from "./hint.ts";
import { listText } from "./list.ts";
import { reset } from "./reset.ts";

const KEYS = "h hint · l list · n next · r re-run · x reset · q quit";

/**
 * The course loop: shows the current exercise, grades it on every save and
 * reacts to single keys (h l n r x q). Without a terminal it prints plainly
 * and reads the same commands as lines on stdin.
 */
export async function watch(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags("watch", args, { plain: { type: "boolean" } }, { max: 0 });
  const course = loadCourse();
  const session = new WatchSession(course, io, Boolean(values.plain) || !io.isTTY);
  return session.run();
}

class WatchSession {
  private readonly course: Course;
  private readonly io: Io;
  private readonly plain: boolean;
  private progress: Progress;
  private exercise: Exercise | undefined;
  private grader: Grader | undefined;
  private watcher: FSWatcher | undefined;
  private lastHash = "";
  private grading: Promise<void> | undefined;
  private rerunWanted = false;
  private confirmingReset = false;
  private finish: ((code: number) => void) | undefined;
  private lineReader: readline.Interface | undefined;

  constructor(course: Course, io: Io, plain: boolean) {
    this.course = course;
    this.io = io;
    this.plain = plain;
    this.progress = Progress.load(course);
  }

  async run(): Promise<number> {
    if (this.progress.warning) this.io.err(this.progress.warning);
    const id = this.progress.current(this.course);
    if (!id) {
      this.io.out(this.course.final);
      return 0;
    }
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    this.listenForKeys();
    this.grader = await Grader.create(this.course, { maxWorkers: 1 });
    this.select(this.course.exercises.find((e) => e.id === id)!);
    const code = await done;
    this.watcher?.close();
    await this.grading;
    await this.grader.close();
    return code;
  }

  /** Makes `exercise` the one on screen, watches its file and grades it. */
  private select(exercise: Exercise): void {
    this.exercise = exercise;
    this.watcher?.close();
    const file = path.join(this.course.root, exercise.file);
    // Editors save by writing, truncating or renaming: watch the folder, not the file.
    this.watcher = watchFolder(path.dirname(file), (_event, name) => {
      if (name === path.basename(file)) this.scheduleGrade(false);
    });
    this.lastHash = "";
    this.scheduleGrade(true);
  }

  /** Grades now, or once more after the running grade ends; unchanged content is skipped. */
  private scheduleGrade(force: boolean): void {
    if (!force && this.hashOfFile() === this.lastHash) return;
    if (this.grading) {
      this.rerunWanted = true;
      return;
    }
    this.grading = this.gradeOnce().finally(() => {
      this.grading = undefined;
      if (this.rerunWanted) {
        this.rerunWanted = false;
        this.scheduleGrade(false);
      }
    });
  }

  private hashOfFile(): string {
    try {
      return createHash("sha1").update(readFileSync(path.join(this.course.root, this.exercise!.file))).digest("hex");
    } catch {
      return "missing";
    }
  }

  private async gradeOnce(): Promise<void> {
    const exercise = this.exercise!;
    this.lastHash = this.hashOfFile();
    this.header(exercise);
    const file = path.join(this.course.root, exercise.file);
    if (this.lastHash === "missing") {
      this.io.out(this.io.paint.red(`${exercise.file} is missing. Press x to restore its starting version.`));
      this.footer();
      return;
    }
    const [result] = await this.grader!.grade([{ exercise, spec: { kind: "typescript", file }, cwd: this.course.root }], {
      stopAtFirstFailure: true,
      seed: "1",
      onCheck: (ex, check) => this.io.out(formatCheck(ex.id, check, this.io.paint)),
    });
    if (!result) return;
    this.io.out(`\n${formatSummary(result, this.io.paint)}`);
    if (result.passed) {
      if (!this.progress.isDone(exercise.id)) {
        this.progress.data.done[exercise.id] = new Date().toISOString();
        this.save();
      }
      const next = this.nextExercise();
      this.io.out(this.io.paint.green(next ? `\nWell done! Press n for the next exercise: ${next.id}.` : `\n${this.course.final}`));
    }
    this.footer();
  }

  private header(exercise: Exercise): void {
    const p = this.io.paint;
    if (!this.plain) this.io.out("\x1b[2J\x1b[3J\x1b[H");
    const doneCount = this.course.exercises.filter((e) => this.progress.isDone(e.id)).length;
    const position = this.course.exercises.indexOf(exercise) + 1;
    this.io.out(
      [
        `${p.bold("socketlings")} · lesson ${exercise.lesson.number}: ${exercise.lesson.title} · exercise ${position} of ${this.course.exercises.length}: ${p.bold(exercise.id)}`,
        `Edit ${p.cyan(exercise.file)} and save: it is graded on every save. Read the lesson: npx socketlings lesson ${exercise.lesson.number}`,
        `${progressBar(doneCount, this.course.exercises.length, 30)} ${doneCount}/${this.course.exercises.length} done`,
        "",
      ].join("\n"),
    );
  }

  private footer(): void {
    this.io.out(this.io.paint.dim(`\n${KEYS}${this.plain ? " (type a letter and Enter)" : ""}`));
  }

  private nextExercise(): Exercise | undefined {
    const all = this.course.exercises;
    const from = all.indexOf(this.exercise!);
    return [...all.slice(from + 1), ...all.slice(0, from)].find((e) => !this.progress.isDone(e.id));
  }

  private listenForKeys(): void {
    const input = process.stdin;
    if (!this.plain && input.isTTY) {
      readline.emitKeypressEvents(input);
      input.setRawMode(true);
      input.on("keypress", (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
        if (key?.ctrl && key.name === "c") return this.quit();
        void this.onKey((text ?? key?.name ?? "").toLowerCase());
      });
    } else {
      this.lineReader = readline.createInterface({ input });
      this.lineReader.on("line", (line) => void this.onKey(line.trim().toLowerCase()));
    }
    input.resume();
  }

  private async onKey(key: string): Promise<void> {
    if (this.confirmingReset) return this.confirmReset(key);
    switch (key) {
      case "q":
        return this.quit();
      case "h":
        this.io.out(`\n${nextHint(this.exercise!, this.progress, this.io, "press h again")}`);
        this.save();
        return;
      case "l":
        this.io.out(`\n${listText(this.course, this.progress, this.io)}`);
        return;
      case "r":
        return this.scheduleGrade(true);
      case "n": {
        const next = this.nextExercise();
        if (!next) {
          this.io.out(`\n${this.course.final}`);
          return;
        }
        this.progress.data.current = next.id;
        this.save();
        return this.select(next);
      }
      case "x":
        this.confirmingReset = true;
        this.io.out(`\nReset ${this.exercise!.file} to its starting version? Your version is kept in .socketlings/backups. (y/n)`);
        return;
    }
  }

  private async confirmReset(key: string): Promise<void> {
    this.confirmingReset = false;
    if (key !== "y") {
      this.io.out("Nothing changed.");
      return;
    }
    try {
      await reset([this.exercise!.id, "--yes"], this.io);
    } catch (error) {
      this.io.err((error as Error).message);
    }
  }

  private save(): void {
    const problem = this.progress.save();
    if (problem) this.io.err(problem);
  }

  private quit(): void {
    if (process.stdin.isTTY && !this.plain) process.stdin.setRawMode(false);
    this.lineReader?.close();
    // Nothing more is read: an open stdin must not keep the process alive.
    process.stdin.pause();
    process.stdin.unref?.();
    this.finish?.(0);
  }
}
