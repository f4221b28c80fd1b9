import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { loadCourse } from "../../course/manifest.ts";
import { loadAssignment } from "../../instructor/assignment.ts";
import { writeHomeworkPack } from "../../instructor/homework-pack/write-pack.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";

/**
 * Writes a homework pack: a folder students unzip (or get as a GitHub
 * Classroom template repository), holding the assignment, its lessons and
 * stubs, and the grader, so `npm install && npx socketlings` works there.
 */
export async function assign(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags("assign", args, { out: { type: "string" } }, { max: 1 });
  const [assignmentFile] = positionals;
  if (!assignmentFile) throw new UsageError("assign: give the assignment file: assign <assignment.json> --out <folder>");
  if (!values.out) throw new UsageError("assign: say where the pack goes: --out <folder> (a new or empty folder)");
  const out = values.out;
  // Checked before anything is read or written: a pack never mixes with older files.
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UsageError(`assign: --out ${out} is a file; give a new or empty folder`);
    if (readdirSync(out).length > 0) throw new UsageError(`assign: --out ${out} is not empty; give a new or empty folder, so no old file ends up in the pack`);
  }
  const course = loadCourse();
  const assignment = loadAssignment(assignmentFile, course);
  const pack = writeHomeworkPack(course, assignment, out);

  const shown = path.relative(process.cwd(), pack.dir) || ".";
  const points = assignment.exercises.reduce((sum, t) => sum + t.points, 0);
  io.out(
    [
      `${assignment.title}: homework pack written to ${shown}/ (${pack.files.length} files)`,
      `  exercises  ${assignment.exercises.map((t) => `${t.exercise.id} (${t.points})`).join(", ")}: ${points} points`,
      `  lessons    ${pack.lessons.map((l) => `${l.number}. ${l.title}`).join(", ")}`,
      "  ASSIGNMENT.md tells students the due date, the late rule, the points and what to hand in; no solutions are included.",
      "",
      `Students: cd ${shown} && npm install && npx socketlings`,
      "GitHub Classroom: make the folder the template repository, with instructors/github-classroom/classroom.yml as .github/workflows/classroom.yml.",
    ].join("\n"),
  );
  return 0;
}
