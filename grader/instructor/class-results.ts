/**
 * What grading a class produces, in one plain-data shape: the grade-class
 * command builds it, and every report (CSV, JUnit, Gradescope, GitHub
 * Classroom, Markdown feedback, results.json) is written from it alone.
 */
export interface ClassResults {
  assignment: { title: string; due: string | null; file: string };
  seed: string;
  /** ISO time the grading started. */
  gradedAt: string;
  /** Whether hidden checks are shown to students (the instructor released them). */
  hiddenReleased: boolean;
  /** How submissions were kept apart: a network namespace each, or only by ports and processes. */
  isolation: "network-namespace" | "processes";
  students: StudentOutcome[];
}

export interface StudentOutcome {
  /** The submission folder's name. */
  id: string;
  exercises: ExerciseOutcome[];
  late: LateOutcome;
  /** Points earned before any late penalty. */
  points: number;
  /** Points after the late penalty: the grade. */
  total: number;
  maxPoints: number;
  durationMs: number;
  /** Set when the submission could not be graded at all (the grader failed on it). */
  error?: string;
}

export interface ExerciseOutcome {
  id: string;
  title: string;
  /** What was run: "python3 alice/calculator.py", or the TypeScript file. */
  program: string;
  points: number;
  maxPoints: number;
  checks: CheckOutcome[];
  /** Why nothing could be checked: a missing file, a program that does not start. */
  problem?: string;
  durationMs: number;
}

export interface CheckOutcome {
  name: string;
  status: "passed" | "failed" | "skipped";
  /** This check's share of the exercise's points (from its weight). */
  maxPoints: number;
  points: number;
  /** Counted in the grade, shown to the student only once released. */
  hidden: boolean;
  /** One line: what went wrong, for tables (null when it passed). */
  message: string | null;
  hint: string | null;
  /** The failure as a learner sees it in the terminal, without colour ("" when it passed). */
  feedback: string;
  durationMs: number;
}

export interface LateOutcome {
  /** When the submission was made (ISO), or null when the rule does not look. */
  submittedAt: string | null;
  /** Where that time came from. */
  source: "folder-time" | "timestamp-file" | "none";
  /** Whole days after the due time, rounded up; 0 when on time. */
  daysLate: number;
  /** Share of the points taken off, 0 to 100. */
  penaltyPercent: number;
  penaltyPoints: number;
  /** The rule in words, for feedback: "10% per day late", "no credit after the due time". */
  rule: string;
}
