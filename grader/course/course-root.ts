import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding course.json. The bin shim knows it and says so; code
 * run from its sources (tests) finds it by walking up from this file.
 */
let root: string | undefined;

export function setCourseRoot(dir: string): void {
  root = dir;
}

export function courseRoot(): string {
  root ??= findUp(path.dirname(fileURLToPath(import.meta.url)), "course.json");
  return root;
}

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, name))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} above ${from}`);
  }
}
