import type { CheckOutcome, ExerciseOutcome } from "../class-results.ts";
import { showControlCharacters } from "./control-characters.ts";

/** A check's name outside its exercise, as the terminal prints it: "echo-server › echoes a line". */
export function checkTitle(exercise: ExerciseOutcome, check: CheckOutcome): string {
  return `${exercise.id} › ${check.name}`;
}

/**
 * What a student reads about a check that did not pass: the terminal's failure
 * text when there is one, else the one-line message, else why nothing ran.
 * "" for a passed check, which needs no explanation. Raw control characters
 * from the program's output are shown as `\xNN`: Gradescope's page and the
 * Actions log would otherwise hide them or act on them.
 */
export function checkFeedback(exercise: ExerciseOutcome, check: CheckOutcome): string {
  if (check.status === "passed") return "";
  return showControlCharacters(check.feedback || check.message || exercise.problem || "not run");
}

/** Whether a check must stay out of what a student sees: hidden and not yet released. */
export function isWithheld(check: CheckOutcome, hiddenReleased: boolean): boolean {
  return check.hidden && !hiddenReleased;
}
