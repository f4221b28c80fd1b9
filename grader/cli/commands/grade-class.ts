import { execa } from "execa";
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCourse } from "../../course/manifest.ts";
import { livePrograms } from "../../launcher/live-programs.ts";
import { loadAssignment, type Assignment } from "../../instructor/assignment.ts";
import type { ClassResults, StudentOutcome } from "../../instructor/class-results.ts";
import { detectIsolation, type Isolation } from "../../instructor/isolation.ts";
import { lateOutcome, scoreExercise } from "../../instructor/scoring.ts";
import { writeReports } from "../../instructor/reports/write-reports.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { progressBar } from "../progress-bar.ts";
import { UsageError } from "../usage-error.ts";

/**
 * Grades every student folder of a class against an assignment, several at
 * once, each in its own process (and network namespace, where Linux allows),
 * and writes the reports. One bad submission never stops the batch.
 */
export async function gradeClass(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    "grade-class",
    args,
    { out: { type: "string" }, jobs: { type: "string" }, seed: { type: "string" }, "release-hidden": { type: "boolean" }, from: { type: "string" } },
    { max: 2 },
  );
  const [assignmentFile, submissions] = positionals;
  if (!values.out) throw new UsageError("grade-class: say where the reports go: --out <folder>");
  if (assignmentFile && values.from !== undefined && !submissions) return reportFrom(assignmentFile, values.from, values.out, values, io);
  if (!assignmentFile || !submissions) throw new UsageError("grade-class: give the assignment and the submissions folder: grade-class <assignment.json> <submissions> --out <folder> (or --from <folder of graded .json> instead of <submissions>)");
  if (!existsSync(submissions) || !statSync(submissions).isDirectory()) throw new UsageError(`grade-class: ${submissions} is not a folder`);
  const jobs = values.jobs === undefined ? Math.max(1, os.availableParallelism()) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`grade-class: --jobs must be a whole number of 1 or more, got "${values.jobs}"`);
  const course = loadCourse();
  // Checked before anything runs: a broken assignment grades nobody.
  const assignment = loadAssignment(assignmentFile, course);
  const students = readdirSync(submissions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => path.resolve(submissions, entry.name))
    .sort();
  if (students.length === 0) throw new UsageError(`grade-class: ${submissions} holds no student folders (one folder per student)`);

  const isolation = detectIsolation();
  if (isolation.kind === "processes") {
    io.err(io.errPaint.yellow(`note: no network namespaces here (${isolation.reason}); submissions are kept apart by ports and processes only.`));
  }
  // Measured: with 4 jobs on 2 cores, correct port scanners missed open ports in 3 of 30 submissions.
  if (jobs > os.availableParallelism()) {
    io.err(io.errPaint.yellow(`note: --jobs ${jobs} is more than this machine's ${os.availableParallelism()} cores; checks with time limits (a port scan in 3 s, retransmissions, timeouts) may then fail correct programs.`));
  }
  const seed = values.seed ?? "1";
  const started = Date.now();
  const workers = Math.max(1, Math.round((2 * os.availableParallelism()) / jobs));
  const outcomes: StudentOutcome[] = new Array(students.length);
  let finished = 0;
  const show = (last: StudentOutcome) => {
    const line = `${progressBar(finished, students.length, 24)} ${finished}/${students.length} graded · ${last.id}: ${last.total}/${last.maxPoints}${last.error ? " (not graded)" : ""}`;
    if (io.isTTY) process.stderr.write(`\r\x1b[2K${line}${finished === students.length ? "\n" : ""}`);
    else io.err(line);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, students.length) }, async () => {
      while (next < students.length) {
        const index = next++;
        const outcome = await gradeOne(students[index]!, assignmentFile, assignment, { seed, workers, isolation });
        outcomes[index] = outcome;
        finished += 1;
        show(outcome);
      }
    }),
  );

  const results: ClassResults = {
    assignment: { title: assignment.title, due: assignment.due?.toISOString() ?? null, file: path.relative(process.cwd(), assignment.file) || assignment.file },
    seed,
    gradedAt: new Date(started).toISOString(),
    hiddenReleased: assignment.hiddenReleased || Boolean(values["release-hidden"]),
    isolation: isolation.kind,
    students: outcomes,
  };
  const written = await writeReports(results, values.out);
  writeStepSummary(results);
  const seconds = (Date.now() - started) / 1000;
  io.out(
    [
      `${assignment.title}: ${students.length} submissions graded in ${seconds.toFixed(1)} s (${(seconds / students.length).toFixed(1)} s each, ${jobs} at a time${isolation.kind === "network-namespace" ? ", each in its own network namespace" : ""})`,
      ...outcomes.map((s) => `  ${s.id.padEnd(24)} ${String(s.total).padStart(7)} / ${s.maxPoints}${s.late.penaltyPoints > 0 ? `  (late ${s.late.daysLate} d: -${s.late.penaltyPoints})` : ""}${s.error ? `  not graded: ${s.error}` : ""}`),
      `reports: ${written.length} files in ${values.out} (grades.csv, results.json, junit.xml, gradescope/, classroom/, feedback/)`,
    ].join("\n"),
  );
  return 0;
}

/**
 * The reports from students graded elsewhere (`grade-submission --json` on
 * CI runners, one file per student): the same files grade-class writes,
 * from the same code, so a matrix of jobs ends where one machine would.
 */
async function reportFrom(assignmentFile: string, from: string, out: string, values: { seed?: string | undefined; "release-hidden"?: boolean | undefined }, io: Io): Promise<number> {
  const assignment = loadAssignment(assignmentFile, loadCourse());
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new UsageError(`grade-class: --from ${from} is not a folder`);
  const files = readdirSync(from).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0) throw new UsageError(`grade-class: --from ${from} holds no graded students (.json files from grade-submission --json)`);
  const students = files.map((file) => {
    try {
      const student = JSON.parse(readFileSync(path.join(from, file), "utf8")) as StudentOutcome;
      if (typeof student.id !== "string" || !Array.isArray(student.exercises)) throw new Error("not a graded student");
      return student;
    } catch (error) {
      throw new UsageError(`grade-class: ${path.join(from, file)} is not the output of grade-submission --json (${(error as Error).message})`);
    }
  });
  const results: ClassResults = {
    assignment: { title: assignment.title, due: assignment.due?.toISOString() ?? null, file: path.relative(process.cwd(), assignment.file) || assignment.file },
    seed: values.seed ?? "1",
    gradedAt: new Date().toISOString(),
    hiddenReleased: assignment.hiddenReleased || Boolean(values["release-hidden"]),
    isolation: "processes",
    students,
  };
  const written = await writeReports(results, out);
  writeStepSummary(results);
  io.out(`${assignment.title}: reports for ${students.length} students graded elsewhere: ${written.length} files in ${out}`);
  return 0;
}

/** On GitHub Actions, a table of the grades on the run's summary page. */
function writeStepSummary(results: ClassResults): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const rows = results.students.map((s) => `| ${s.id} | ${s.total} | ${s.maxPoints} |`);
  appendFileSync(file, [`### ${results.assignment.title}`, "", "| student | total | max |", "| --- | --- | --- |", ...rows, ""].join("\n"));
}

interface GradeOneOptions {
  seed: string;
  workers: number;
  isolation: Isolation;
}

/**
 * One student, in a process of its own: a crash, a hang or a flood of
 * output there ends that student's grading with a reason, never the batch.
 */
async function gradeOne(dir: string, assignmentFile: string, assignment: Assignment, options: GradeOneOptions): Promise<StudentOutcome> {
  const bin = process.argv[1]!;
  const command = options.isolation.wrap([process.execPath, bin, "grade-submission", path.resolve(assignmentFile), dir, "--json", "--seed", options.seed, "--workers", String(options.workers)]);
  const limitMs = assignment.exercises.reduce((sum, e) => sum + e.timeLimitSeconds * 1000, 0) + 60_000;
  const child = execa(command[0]!, command.slice(1), { detached: true, reject: false, stdin: "ignore", maxBuffer: 64 * 1024 * 1024, env: { NO_COLOR: "1" } });
  if (child.pid !== undefined) livePrograms.add(child.pid);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), limitMs)));
  const result = await Promise.race([child, timedOut]);
  clearTimeout(timer);
  if (child.pid !== undefined) livePrograms.delete(child.pid);
  if (result === "timeout") {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    await child;
    return notGraded(dir, assignment, `grading took longer than ${Math.round(limitMs / 1000)} s and was stopped`);
  }
  try {
    return JSON.parse(String(result.stdout)) as StudentOutcome;
  } catch {
    const why = String(result.stderr).trim().split("\n").slice(-3).join(" / ") || `exit code ${result.exitCode}`;
    return notGraded(dir, assignment, `the grader failed on this submission: ${why}`);
  }
}

function notGraded(dir: string, assignment: Assignment, reason: string): StudentOutcome {
  const exercises = assignment.exercises.map((task) => scoreExercise(task, undefined, reason));
  return {
    id: path.basename(dir),
    exercises,
    late: lateOutcome({ policy: "none" }, null, null, "none", 0),
    points: 0,
    total: 0,
    maxPoints: assignment.exercises.reduce((sum, e) => sum + e.points, 0),
    durationMs: 0,
    error: reason,
  };
}
