import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { build } from "esbuild";

export type CompileResult = { ok: true; file: string } | { ok: false; message: string };

/**
 * Turns a learner's TypeScript file into one ES module Node runs directly.
 * esbuild strips types without checking them (the editor does that), which
 * starts a program ~3x faster than tsx. Inline source maps keep stack traces
 * pointing at the learner's own lines.
 */
export async function compileTypeScript(source: string, cacheDir: string): Promise<CompileResult> {
  const name = `${path.basename(source, path.extname(source))}-${createHash("sha1").update(source).digest("hex").slice(0, 10)}.mjs`;
  const file = path.join(cacheDir, name);
  let code: string;
  try {
    const result = await build({
      entryPoints: [source],
      // Not written (write: false), but the source map's paths are relative to it.
      outfile: file,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: "inline",
      write: false,
      logLevel: "silent",
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    return { ok: false, message: describeBuildFailure(error, source) };
  }
  mkdirSync(cacheDir, { recursive: true });
  // Renamed into place so two graders compiling the same file never see half of it.
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, code);
  renameSync(temporary, file);
  return { ok: true, file };
}

function describeBuildFailure(error: unknown, source: string): string {
  const errors = (error as { errors?: { text: string; location?: { line: number; column: number; lineText: string } | null }[] }).errors;
  if (!errors?.length) return `cannot compile ${source}: ${(error as Error).message}`;
  return errors
    .slice(0, 3)
    .map((e) => {
      if (!e.location) return e.text;
      const { line, column, lineText } = e.location;
      return `${path.basename(source)}:${line}:${column + 1}: ${e.text}\n    ${lineText}\n    ${" ".repeat(column)}^`;
    })
    .join("\n");
}
