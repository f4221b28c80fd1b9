import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCourse, type Course } from "../../grader/course/manifest.ts";
import { Progress } from "../../grader/course/progress.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runsAsRoot = process.getuid?.() === 0;

/** A course root of its own (a copy of course.json), removed afterwards. */
function withCourse(body: (course: Course, progressDir: string) => void): void {
  const root = mkdtempSync(path.join(os.tmpdir(), "socketlings-progress-"));
  try {
    copyFileSync(path.join(ROOT, "course.json"), path.join(root, "course.json"));
    body(loadCourse(root), path.join(root, ".socketlings"));
  } finally {
    chmodSync(root, 0o700);
    if (existsSync(path.join(root, ".socketlings"))) chmodSync(path.join(root, ".socketlings"), 0o700);
    rmSync(root, { recursive: true, force: true });
  }
}

function writeProgress(progressDir: string, text: string): void {
  mkdirSync(progressDir, { recursive: true });
  writeFileSync(path.join(progressDir, "progress.json"), text);
}

describe("Progress", () => {
  it("starts empty when there is no progress file, without a warning", () => {
    withCourse((course, progressDir) => {
      const progress = Progress.load(course);
      expect(progress.data).toEqual({ version: 1, done: {}, hintsShown: {} });
      expect(progress.warning).toBeUndefined();
      expect(progress.file).toBe(path.join(progressDir, "progress.json"));
      expect(progress.current(course)).toBe(course.exercises[0]!.id);
    });
  });

  it("saves to a file that loads back the same, leaving no temporary file", () => {
    withCourse((course, progressDir) => {
      const [first, second] = course.exercises.map((e) => e.id);
      const progress = Progress.load(course);
      progress.data.done[first!] = "2026-01-02T03:04:05.000Z";
      progress.data.hintsShown[second!] = 2;
      expect(progress.save()).toBeUndefined();

      expect(readdirSync(progressDir)).toEqual(["progress.json"]);
      expect(JSON.parse(readFileSync(progress.file, "utf8"))).toEqual(progress.data);
      const again = Progress.load(course);
      expect(again.data).toEqual(progress.data);
      expect(again.isDone(first!)).toBe(true);
      expect(again.current(course)).toBe(second);
    });
  });

  it("starts afresh from a damaged file, keeps it aside and says so", () => {
    withCourse((course, progressDir) => {
      writeProgress(progressDir, "{ this is not JSON");
      const progress = Progress.load(course);
      expect(progress.data).toEqual({ version: 1, done: {}, hintsShown: {} });
      expect(progress.warning).toMatch(/^your progress file \.socketlings\/progress\.json was damaged \(.+\), so it starts afresh \(the damaged file is kept as \.socketlings\/progress\.json\.damaged-\d+-\d+\)\./);
      const [backup, ...others] = readdirSync(progressDir);
      expect(others).toEqual([]);
      expect(backup).toMatch(/^progress\.json\.damaged-\d+-\d+$/);
      expect(readFileSync(path.join(progressDir, backup!), "utf8")).toBe("{ this is not JSON");
    });
  });

  it("treats a file of another version as damaged", () => {
    withCourse((course, progressDir) => {
      writeProgress(progressDir, JSON.stringify({ version: 2, done: {}, hintsShown: {} }));
      const progress = Progress.load(course);
      expect(progress.warning).toContain("was damaged (unknown version 2)");
      expect(progress.data.done).toEqual({});
    });
  });

  it("treats JSON that is not an object as damaged", () => {
    withCourse((course, progressDir) => {
      writeProgress(progressDir, "42");
      expect(Progress.load(course).warning).toContain("was damaged (not a JSON object)");
    });
  });

  it("drops exercises the course no longer has, and hint counts that are not counts", () => {
    withCourse((course, progressDir) => {
      const [first, second, third] = course.exercises.map((e) => e.id);
      writeProgress(
        progressDir,
        JSON.stringify({
          version: 1,
          done: { [first!]: "2026-01-01T00:00:00.000Z", "removed-exercise": "2026-01-01T00:00:00.000Z", [second!]: 17 },
          hintsShown: { [first!]: 1, "removed-exercise": 3, [second!]: -1, [third!]: 1.5 },
        }),
      );
      const progress = Progress.load(course);
      expect(progress.warning).toBeUndefined();
      expect(progress.data).toEqual({ version: 1, done: { [first!]: "2026-01-01T00:00:00.000Z" }, hintsShown: { [first!]: 1 } });
    });
  });

  it("works on the exercise chosen last, unless the course no longer has it", () => {
    withCourse((course, progressDir) => {
      const [first, second] = course.exercises.map((e) => e.id);
      writeProgress(progressDir, JSON.stringify({ version: 1, done: { [first!]: "2026-01-01T00:00:00.000Z" }, hintsShown: {}, current: first }));
      expect(Progress.load(course).current(course)).toBe(first);
      writeProgress(progressDir, JSON.stringify({ version: 1, done: { [first!]: "2026-01-01T00:00:00.000Z" }, hintsShown: {}, current: "removed-exercise" }));
      expect(Progress.load(course).current(course)).toBe(second);
    });
  });

  it("returns a message instead of throwing when the folder cannot be made", () => {
    withCourse((course, progressDir) => {
      // A file where the folder should be stops even root.
      writeFileSync(progressDir, "in the way");
      const progress = Progress.load(course);
      progress.data.hintsShown[course.exercises[0]!.id] = 1;
      expect(progress.save()).toBe(`could not save your progress to ${progress.file}: EEXIST`);
    });
  });

  // chmod does not stop root from writing, so this case only runs as another user.
  it.skipIf(runsAsRoot)("returns a message instead of throwing when the folder is read-only (not run as root: chmod does not stop root)", () => {
    withCourse((course, progressDir) => {
      mkdirSync(progressDir);
      chmodSync(progressDir, 0o500);
      const progress = Progress.load(course);
      progress.data.hintsShown[course.exercises[0]!.id] = 1;
      expect(progress.save()).toBe(`could not save your progress to ${progress.file}: EACCES`);
    });
  });
});
