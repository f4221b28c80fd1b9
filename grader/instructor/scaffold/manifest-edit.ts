import type { Role, Transport } from "../../course/manifest.ts";

/** An exercise as course.json writes it, keys in the manifest's order. */
export interface ManifestExercise {
  id: string;
  title: string;
  transport: Transport;
  role: Role;
  file: string;
  solution: string;
  checks: string;
  hints: string[];
}

/** A lesson as course.json writes it, before its exercises. */
export interface ManifestLesson {
  id: string;
  number: number;
  title: string;
  file: string;
}

/**
 * course.json's text with `exercise` added at the end of its lesson, and the
 * lesson itself added (in order of number) when `newLesson` says so. The
 * manifest is kept as JSON.stringify writes it with 2 spaces, so re-writing
 * it that way leaves every other entry's text and key order as it was.
 */
export function addToManifest(text: string, exercise: ManifestExercise, lesson: ManifestLesson, newLesson: boolean): string {
  const doc = JSON.parse(text) as { lessons: (ManifestLesson & { exercises: ManifestExercise[] })[] };
  if (newLesson) {
    const at = doc.lessons.findIndex((l) => l.number > lesson.number);
    doc.lessons.splice(at === -1 ? doc.lessons.length : at, 0, { ...lesson, exercises: [] });
  }
  const target = doc.lessons.find((l) => l.id === lesson.id);
  if (!target) throw new Error(`course.json has no lesson "${lesson.id}" to add ${exercise.id} to`);
  target.exercises.push(exercise);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
