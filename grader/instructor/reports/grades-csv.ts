import type { ClassResults, StudentOutcome } from "../class-results.ts";
import { formatPoints } from "./points.ts";

interface Column {
  header: string;
  value: (student: StudentOutcome) => string;
}

/**
 * The class's grade sheet, one row per student, for a spreadsheet or an LMS
 * grade import (Canvas, Moodle): the student's folder name first, one numeric
 * column per exercise ("echo-server (of 10)"), then points before the late
 * penalty, late days, the penalty in points, the total and the maximum.
 * RFC 4180: CRLF line ends, fields quoted only when they must be; UTF-8
 * without a byte order mark (the caller writes the string as UTF-8).
 */
export function gradesCsv(results: ClassResults): string {
  const columns = gradeColumns(results.students);
  const rows = [columns.map((c) => c.header), ...results.students.map((s) => columns.map((c) => c.value(s)))];
  return rows.map((row) => row.map(csvField).join(",") + "\r\n").join("");
}

function gradeColumns(students: readonly StudentOutcome[]): Column[] {
  return [
    { header: "student", value: (s) => s.id },
    ...exerciseColumns(students),
    { header: "points", value: (s) => formatPoints(s.points) },
    { header: "late days", value: (s) => String(s.late.daysLate) },
    { header: "late penalty", value: (s) => formatPoints(s.late.penaltyPoints) },
    { header: "total", value: (s) => formatPoints(s.total) },
    { header: "max", value: (s) => formatPoints(s.maxPoints) },
  ];
}

/**
 * Every exercise any student has, in the order first met: a submission the
 * grader failed on may have none, and its cells stay empty ("not graded")
 * rather than 0, which an LMS would record as a grade.
 */
function exerciseColumns(students: readonly StudentOutcome[]): Column[] {
  const maxById = new Map<string, number>();
  for (const exercise of students.flatMap((s) => s.exercises)) {
    if (!maxById.has(exercise.id)) maxById.set(exercise.id, exercise.maxPoints);
  }
  return [...maxById].map(([id, max]) => ({
    header: `${id} (of ${formatPoints(max)})`,
    value: (s) => {
      const exercise = s.exercises.find((e) => e.id === id);
      return exercise ? formatPoints(exercise.points) : "";
    },
  }));
}

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
