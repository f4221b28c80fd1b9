import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileTypeScript } from "../../grader/launcher/compile-typescript.ts";
import { temporaryDir } from "./helpers.ts";

const dir = temporaryDir("compile");
afterAll(() => dir.remove());

function source(name: string, text: string): string {
  const file = path.join(dir.path, name);
  writeFileSync(file, text);
  return file;
}

describe("compileTypeScript", () => {
  it("turns a TypeScript file into an .mjs that Node runs", async () => {
    const file = source("adds.ts", 'import { EOL } from "node:os";\nconst n: number = 2;\nprocess.stdout.write(`sum ${n + 1}${EOL}`);\n');
    const cacheDir = path.join(dir.path, "cache-adds");
    const result = await compileTypeScript(file, cacheDir);
    if (!result.ok) throw new Error(result.message);
    expect(path.dirname(result.file)).toBe(cacheDir);
    expect(result.file).toMatch(/adds-[0-9a-f]{10}\.mjs$/);
    expect(execFileSync(process.execPath, [result.file], { encoding: "utf8" })).toBe("sum 3\n");
  });

  it("keeps stack traces on the learner's own lines", async () => {
    const file = source("throws.ts", "type T = { a: number };\nconst t: T = { a: 1 };\nif (t.a === 1) throw new Error(\"on line three\");\n");
    const result = await compileTypeScript(file, path.join(dir.path, "cache-throws"));
    if (!result.ok) throw new Error(result.message);
    let stderr = "";
    try {
      execFileSync(process.execPath, ["--enable-source-maps", result.file], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(stderr).toContain("throws.ts:3");
  });

  it("reports a syntax error as file:line:column with the line and a caret", async () => {
    const file = source("broken.ts", "const a = 1;\n// the next line is wrong\nconst x = ;\n");
    const result = await compileTypeScript(file, path.join(dir.path, "cache-broken"));
    expect(result).toEqual({ ok: false, message: 'broken.ts:3:11: Unexpected ";"\n    const x = ;\n              ^' });
  });

  it("says which file it could not compile when the file is missing", async () => {
    const result = await compileTypeScript(path.join(dir.path, "missing.ts"), path.join(dir.path, "cache-missing"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain("missing.ts");
  });

  it("lets two compiles of the same file at once both succeed, leaving one whole file", async () => {
    const file = source("twice.ts", 'console.log("twice");\n');
    const cacheDir = path.join(dir.path, "cache-twice");
    const [first, second] = await Promise.all([compileTypeScript(file, cacheDir), compileTypeScript(file, cacheDir)]);
    expect(first).toEqual(second);
    if (!first?.ok) throw new Error("the first compile failed");
    expect(readdirSync(cacheDir)).toEqual([path.basename(first.file)]);
    expect(execFileSync(process.execPath, [first.file], { encoding: "utf8" })).toBe("twice\n");
  });
});
