import { showControlCharacters } from "./control-characters.ts";

/**
 * Text for a Markdown line, shown as written: the characters that would start
 * emphasis, code, links, HTML or a heading's closing `#`s are backslash-escaped
 * (check names contain quotes, `<` and `*`), and `&` only where it would read
 * as an entity, so that the raw file stays readable.
 */
export function markdownInline(text: string): string {
  return showControlCharacters(text)
    .replace(/[\\`*_[\]<>~#]|&(?=#?\w+;)/g, "\\$&")
    .replace(/\r?\n/g, " ");
}

/**
 * A fenced ```text block indented by `indent`, its fence longer than any run
 * of backticks in the text so that a program's output cannot close it early.
 */
export function markdownCodeBlock(text: string, indent: string): string[] {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  const lines = showControlCharacters(text).split(/\r?\n/).map((line) => (line === "" ? "" : `${indent}${line}`));
  return [`${indent}${fence}text`, ...lines, `${indent}${fence}`];
}

/** A block quote of possibly several lines. */
export function markdownQuote(text: string): string[] {
  return text.split(/\r?\n/).map((line) => (line === "" ? ">" : `> ${line}`));
}
