import type { Paint } from "./colors.ts";
import type { CheckResult, ExerciseResult } from "./results.ts";

const MAX_TRANSCRIPT_LINES = 14;

/**
 * One check as the learner reads it: a ✓/✗ line and, for a failure, what was
 * sent, what came back, what was expected, what to try and what the program
 * printed, in that order.
 */
export function formatCheck(exerciseId: string, check: CheckResult, p: Paint): string {
  const title = `${exerciseId} › ${check.name}`;
  if (check.status === "passed") return `${p.green("✓")} ${title} ${p.dim(`(${check.durationMs} ms)`)}`;
  if (check.status === "skipped") return p.dim(`○ ${title} (not run: ${check.note ?? "skipped"})`);
  const failure = check.failure!;
  const lines = [`${p.red("✗")} ${p.bold(title)}`];
  const transcript = selectTranscript(check.transcript, failure.message);
  lines.push(...transcript.map((l) => `  ${l}`));
  if (check.transcript[check.transcript.length - 1] !== failure.message) lines.push(`  ${failure.internal ? p.red(failure.message) : failure.message}`);
  lines.push(...failure.details.map((l) => `  ${p.dim(l)}`));
  const [firstExpected, ...moreExpected] = failure.expected;
  if (firstExpected !== undefined) lines.push(`  ${p.cyan("expected")} ${firstExpected}`, ...moreExpected.map((l) => `  ${l}`));
  if (failure.hint) lines.push(`  ${p.yellow("hint:")} ${failure.hint}`);
  if (failure.output) {
    const { lines: out, totalBytes, complete } = failure.output;
    lines.push(`  ${p.dim(complete ? "your program printed:" : `your program printed (${totalBytes.toLocaleString("en-US")} bytes in all; the end, or around its error):`)}`);
    lines.push(...out.map((l) => `    ${p.dim("│")} ${l}`));
  }
  return lines.join("\n");
}

/**
 * Long transcripts (50 clients) are cut to the exchanges of the client that
 * failed, plus what the grader and the program said, and then to the last lines.
 */
function selectTranscript(transcript: string[], message: string): string[] {
  if (transcript.length <= MAX_TRANSCRIPT_LINES) return transcript;
  const label = /^\[(client-\d+)\]/.exec(message)?.[1];
  const relevant = label ? transcript.filter((l) => l.startsWith(`[${label}]`) || l.startsWith("[grader]") || l.startsWith("[your program]")) : transcript;
  const shown = relevant.slice(-MAX_TRANSCRIPT_LINES);
  const hidden = transcript.length - shown.length;
  const lines = hidden === 1 ? "line" : "lines";
  return [`(${hidden} ${label ? `${lines} of other clients or earlier` : `earlier ${lines}`} hidden)`, ...shown];
}

/** The closing lines of a grade: the count and what to do next. */
export function formatSummary(result: ExerciseResult, p: Paint): string {
  if (result.internalError) {
    return `${p.red("the grader itself failed on")} ${result.exerciseId} ${p.red("(a bug in socketlings, not in your program):")}\n${result.internalError}`;
  }
  const passed = result.checks.filter((c) => c.status === "passed").length;
  const total = result.checks.length;
  const checks = total === 1 ? "check" : "checks";
  if (result.passed) return `${p.green(`${result.exerciseId}: ${total === 1 ? "the" : `all ${total}`} ${checks} passed`)} ${p.dim(`in ${(result.durationMs / 1000).toFixed(1)} s`)}`;
  return `${p.red(`${result.exerciseId}: ${passed} of ${total} ${checks} passed.`)} Fix the first failure above and grade again; \`npx socketlings hint ${result.exerciseId}\` gives a hint.`;
}
