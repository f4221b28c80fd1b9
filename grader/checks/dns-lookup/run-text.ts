import { quoteBytes, type ClientRun } from "../../harness/index.ts";
import type { ResourceRecord } from "../../protocols/dns-message.ts";
import type { LookupType } from "./expected-output.ts";

/** One run of the program: `<TYPE> <name>` against a grader's DNS server with this zone. */
export interface Lookup {
  type: LookupType;
  name: string;
  /** The TYPE argument as given, when not `type` itself (a lower-case "mx"). */
  typeArg?: string;
  zone: readonly ResourceRecord[];
  /** The server reads every query and never answers. */
  silent?: boolean;
}

export const argsOf = (lookup: Lookup): string[] => [lookup.typeArg ?? lookup.type, lookup.name];

/** "exited with code 1 after 212 ms", "was still running after 4000 ms". */
export function describeEnd(run: ClientRun, limitMs: number): string {
  if (run.timedOut) return `was still running after ${limitMs} ms`;
  const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
  return `${how} after ${run.durationMs} ms`;
}

/** Stdout or stderr as lines, "\r\n" taken as "\n", without the empty line after the last "\n". */
export const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\r?\n$/, "").split("\n").map((line) => line.replace(/\r$/, "")));

export const stderrLines = (run: ClientRun) => lines(run.stderr).filter((line) => line.trim() !== "");

/** What it printed on stderr, for details: the last few lines. */
export function stderrDetails(run: ClientRun): string[] {
  const err = stderrLines(run);
  if (err.length === 0) return ["its stderr was empty"];
  return [`its stderr${err.length > 3 ? " (last 3 lines)" : ""}: ${err.slice(-3).map((line) => quoteBytes(line, 120)).join(" ")}`];
}

/** Where two lists of lines first differ. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function quoteLines(printed: string[]): string {
  if (printed.length === 0) return "nothing on stdout";
  return printed.map((line) => quoteBytes(`${line}\n`, 120)).join(" ");
}

/** Arguments as a shell shows them: A www.x.test, "" for an empty one. */
export function quoteArgs(args: string[]): string {
  return args.length === 0 ? "no arguments" : args.map((a) => (/^[\w.:@%+=/-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}
