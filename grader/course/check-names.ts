import { readFileSync } from "node:fs";

/**
 * The names of the checks in a check file, read from its source without
 * running it: an assignment can then weigh or hide checks by name and be
 * validated before any program starts. Check names are string literals
 * (a test holds every check file to that).
 */
export function checkNamesOf(checkFile: string): string[] {
  const source = readFileSync(checkFile, "utf8");
  const names: string[] = [];
  for (const match of source.matchAll(/^check\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$\\]*`)\s*,/gm)) {
    names.push(unquote(match[1]!));
  }
  return names;
}

function unquote(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  // A double-quoted literal is JSON; a single-quoted one becomes one.
  const json = literal.startsWith('"') ? literal : `"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
  return JSON.parse(json) as string;
}
