import { findExercise, loadCourse } from "../../course/manifest.ts";
import { Progress } from "../../course/progress.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";

/** Shows the next hint, one at a time; after the last, all of them again. */
export async function hint(args: string[], io: Io): Promise<number> {
  const { positionals } = parseFlags("hint", args, {}, { max: 1 });
  const course = loadCourse();
  const progress = Progress.load(course);
  if (progress.warning) io.err(progress.warning);
  const exercise = findExercise(course, positionals[0] ?? progress.current(course));
  io.out(nextHint(exercise, progress, io));
  const problem = progress.save();
  if (problem) io.err(problem);
  return 0;
}

/** The next hint; `again` says how to get the one after it where this is shown. */
export function nextHint(exercise: { id: string; hints: string[] }, progress: Progress, io: Io, again = "run the same command again"): string {
  const shown = progress.data.hintsShown[exercise.id] ?? 0;
  const total = exercise.hints.length;
  if (shown >= total) {
    return [io.paint.bold(`All ${total} hints for ${exercise.id}:`), ...exercise.hints.map((h, i) => `  ${i + 1}. ${h}`)].join("\n");
  }
  progress.data.hintsShown[exercise.id] = shown + 1;
  const more = shown + 1 < total ? io.paint.dim(`\n(${total - shown - 1} more: ${again})`) : "";
  return `${io.paint.bold(`Hint ${shown + 1} of ${total} for ${exercise.id}:`)} ${exercise.hints[shown]}${more}`;
}
