import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Course } from "./manifest.ts";

/** What the learner has done: kept in one small file in the working copy. */
export interface ProgressData {
  version: 1;
  /** Exercise id → when it first passed (ISO time). */
  done: Record<string, string>;
  /** Exercise id → how many hints were shown. */
  hintsShown: Record<string, number>;
  /** The exercise watch mode shows; the first one not done when unset. */
  current?: string;
}

const EMPTY: ProgressData = { version: 1, done: {}, hintsShown: {} };

export class Progress {
  readonly file: string;
  data: ProgressData;
  /** Set when the file was unreadable and had to be rebuilt: the CLI says so once. */
  readonly warning: string | undefined;

  private constructor(file: string, data: ProgressData, warning?: string) {
    this.file = file;
    this.data = data;
    this.warning = warning;
  }

  static load(course: Course): Progress {
    const file = path.join(course.root, ".socketlings", "progress.json");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return new Progress(file, structuredClone(EMPTY));
    }
    try {
      return new Progress(file, validate(JSON.parse(text), course));
    } catch (error) {
      const backup = `${file}.damaged-${Date.now()}-${process.pid}`;
      let kept = "";
      try {
        renameSync(file, backup);
        kept = ` (the damaged file is kept as ${path.relative(course.root, backup)})`;
      } catch {
        // Read-only: nothing kept, nothing lost either.
      }
      return new Progress(file, structuredClone(EMPTY), `your progress file ${path.relative(course.root, file)} was damaged (${(error as Error).message}), so it starts afresh${kept}. Your exercise files are untouched; passing exercises are marked done again when graded.`);
    }
  }

  isDone(id: string): boolean {
    return id in this.data.done;
  }

  /** The exercise to work on: the one chosen last, else the first not done. */
  current(course: Course): string | undefined {
    const chosen = this.data.current;
    if (chosen && course.exercises.some((e) => e.id === chosen)) return chosen;
    return course.exercises.find((e) => !this.isDone(e.id))?.id;
  }

  /**
   * Written to a temporary file and renamed over the old one, so a crash or
   * a full disk never leaves half a file. Returns an error message instead of
   * throwing: losing a progress mark must not lose a grade.
   */
  save(): string | undefined {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
      renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // The folder itself is the problem: there is no temporary file to remove.
      }
      return `could not save your progress to ${this.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  }
}

function validate(raw: unknown, course: Course): ProgressData {
  if (typeof raw !== "object" || raw === null) throw new Error("not a JSON object");
  const data = raw as Partial<ProgressData>;
  if (data.version !== 1) throw new Error(`unknown version ${JSON.stringify(data.version)}`);
  const known = new Set(course.exercises.map((e) => e.id));
  const done: Record<string, string> = {};
  for (const [id, when] of Object.entries(data.done ?? {})) if (known.has(id) && typeof when === "string") done[id] = when;
  const hintsShown: Record<string, number> = {};
  for (const [id, n] of Object.entries(data.hintsShown ?? {})) if (known.has(id) && Number.isInteger(n) && (n as number) >= 0) hintsShown[id] = n as number;
  return { version: 1, done, hintsShown, ...(typeof data.current === "string" ? { current: data.current } : {}) };
}
