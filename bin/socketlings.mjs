#!/usr/bin/env node
// The CLI is TypeScript. Rather than a TypeScript loader on every start
// (~200 ms), esbuild bundles it once into node_modules/.cache and the bundle
// is reused until a source file under grader/ changes.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, existsSync, symlinkSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import module from "node:module";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`socketlings needs Node.js 20.19 or newer; this is ${process.version}.\n`);
  process.exit(2);
}

/** A name that changes whenever any source file (or this file) does. */
function sourceStamp() {
  const hash = createHash("sha1");
  // Check files are not bundled (vitest loads them from source): editing one needs no rebuild.
  const checks = path.join(root, "grader", "checks");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== checks) walk(full);
      } else if (entry.name.endsWith(".ts")) hash.update(`${full}:${statSync(full).mtimeMs}\n`);
    }
  };
  walk(path.join(root, "grader"));
  hash.update(`${fileURLToPath(import.meta.url)}:${statSync(fileURLToPath(import.meta.url)).mtimeMs}:${process.version}`);
  return hash.digest("hex").slice(0, 16);
}

const rootId = createHash("sha1").update(root).digest("hex").slice(0, 8);

/** One folder per working copy, since copies may share one node_modules. */
function cacheBase() {
  const preferred = path.join(root, "node_modules", ".cache", "socketlings", rootId);
  try {
    mkdirSync(preferred, { recursive: true });
    return preferred;
  } catch {
    // A read-only working copy: build in the temporary folder instead.
    const fallback = path.join(os.tmpdir(), `socketlings-cli-${rootId}`);
    mkdirSync(fallback, { recursive: true });
    // The bundle imports vitest and friends by name: let Node find them from here.
    if (!existsSync(path.join(fallback, "node_modules"))) symlinkSync(path.join(root, "node_modules"), path.join(fallback, "node_modules"), "dir");
    return fallback;
  }
}

async function bundle() {
  const base = cacheBase();
  const outdir = path.join(base, `cli-${sourceStamp()}`);
  const entry = path.join(outdir, "main.js");
  if (existsSync(entry)) return entry;
  const { build } = await import("esbuild");
  const temporary = `${outdir}.tmp-${process.pid}`;
  await build({
    entryPoints: {
      main: path.join(root, "grader", "cli", "main.ts"),
      // Loaded by vitest in place of the harness sources: see grader/grading/prebuilt-harness.ts.
      harness: path.join(root, "grader", "harness", "index.ts"),
    },
    outdir: temporary,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Dependencies are bundled too (execa loads in ~25 ms instead of ~90), all
    // but vitest and vite, which load their own files by path, and esbuild,
    // which runs a native binary.
    external: ["vitest", "vitest/*", "vite", "esbuild"],
    // ES module builds first: some packages' "main" is a UMD build that requires its own files by path.
    mainFields: ["module", "main"],
    // Bundled CommonJS dependencies (cross-spawn) call require(): give each chunk one.
    banner: { js: 'import { createRequire as __socketlingsRequire } from "node:module"; const require = __socketlingsRequire(import.meta.url);' },
    sourcemap: true,
    logLevel: "error",
  });
  try {
    renameSync(temporary, outdir);
  } catch {
    // Another socketlings built the same sources first: use theirs.
    rmSync(temporary, { recursive: true, force: true });
  }
  // Old bundles go, but not young ones: a CLI started a moment ago may still load chunks from them.
  for (const old of readdirSync(base)) {
    const dir = path.join(base, old);
    try {
      if (old.startsWith("cli-") && dir !== outdir && Date.now() - statSync(dir).mtimeMs > 10 * 60 * 1000) {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      // Another socketlings removed it first.
    }
  }
  return entry;
}

process.setSourceMapsEnabled(true);
// Node 22+ can cache compiled modules between runs (vitest is most of our start-up).
module.enableCompileCache?.();
const entry = await bundle();
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2), { root, harnessBundle: path.join(path.dirname(entry), "harness.js") });
