import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execaSync } from "execa";
import { ROOT } from "./run-cli.ts";

const SHIPPED = ["course.json", "package.json", "package-lock.json", "tsconfig.json", "bin", "grader", "exercises", "solutions", "lessons"];

/**
 * A learner's checkout in a temporary folder: the course files, committed to
 * a fresh git repository, and the project's node_modules linked in. Tests
 * that write progress or edit exercises run here, never in the repo itself.
 */
export function makeWorkingCopy(options: { git?: boolean } = {}): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "socketlings-copy-"));
  for (const entry of SHIPPED) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  if (options.git !== false) {
    const git = (...args: string[]) => execaSync("git", args, { cwd: dir });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=learner", "-c", "user.email=learner@example.invalid", "commit", "-qm", "course");
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
