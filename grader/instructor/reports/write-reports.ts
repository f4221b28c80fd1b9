import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ClassResults } from "../class-results.ts";
import { classroomResults } from "./classroom.ts";
import { feedbackMarkdown } from "./feedback-markdown.ts";
import { assertSafeStudentIds } from "./file-names.ts";
import { gradescopeResults } from "./gradescope.ts";
import { gradesCsv } from "./grades-csv.ts";
import { junitXml } from "./junit-xml.ts";

/**
 * Writes every report of a graded class into `outDir`: grades.csv,
 * results.json (the ClassResults itself), junit.xml, and per student
 * gradescope/<id>/results.json, feedback/<id>.md and classroom/<id>.json.
 * Student ids are checked first (no path separators, ".", "..", or ids equal
 * but for case), so a bad id writes nothing. Each file is written to a
 * temporary name and renamed, so a reader (an LMS upload, a re-run) never
 * sees half a file. Returns the written paths, `outDir` joined with each name,
 * in the order written.
 */
export async function writeReports(results: ClassResults, outDir: string): Promise<string[]> {
  assertSafeStudentIds(results.students.map((s) => s.id));
  const files: [string, string][] = [
    ["grades.csv", gradesCsv(results)],
    ["results.json", json(results)],
    ["junit.xml", junitXml(results)],
  ];
  for (const student of results.students) {
    files.push(
      [path.join("gradescope", student.id, "results.json"), json(gradescopeResults(student, results))],
      [path.join("feedback", `${student.id}.md`), feedbackMarkdown(student, results)],
      [path.join("classroom", `${student.id}.json`), json(classroomResults(student, results))],
    );
  }
  const written: string[] = [];
  // One at a time: a class of hundreds would otherwise open hundreds of files at once.
  for (const [name, content] of files) {
    const file = path.join(outDir, name);
    await writeAtomically(file, content);
    written.push(file);
  }
  return written;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes next to the target, then renames over it: rename is atomic within a directory. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, content, { encoding: "utf8", flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
