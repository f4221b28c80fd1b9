/**
 * Every code snippet of every lesson runs, the way the grader runs a learner's
 * program (esbuild through the project's launcher, then node; python3 for
 * Python), and every TypeScript snippet type-checks with the project's strict
 * options. The conventions for fenced blocks are in ./extract-snippets.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type Result, type ResultPromise } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "../../grader/launcher/free-port.ts";
import { programEnvironment } from "../../grader/launcher/program-environment.ts";
import { startProgram, type ProgramSpec, type RunningProgram } from "../../grader/launcher/start-program.ts";
import { shellQuote } from "../../grader/launcher/shell-quote.ts";
import { waitUntilReady } from "../../grader/launcher/wait-ready.ts";
import { extractLessonSnippets, normalizeOutput, type RunSnippet, type ServerSnippet, type Snippet } from "./extract-snippets.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const RUN_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 5_000;
/** How long a server must stay up after its port is ready: catches one that dies on the readiness probe. */
const STAYS_UP_MS = 100;

const snippets = extractLessonSnippets(path.join(ROOT, "lessons"));
const hasPython = spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;

/** Each snippet's file, by index in `snippets`: snippet-N.ts or snippet-N.py in the temp dir. */
let tempDir = "";
const fileOf = (index: number): string => path.join(tempDir, `snippet-${index + 1}.${snippets[index]!.language === "ts" ? "ts" : "py"}`);
const live = new Set<RunningProgram>();
type TypeCheckOptions = { all: true; reject: false; cwd: string };
let typeCheck: ResultPromise<TypeCheckOptions> | undefined;

beforeAll(() => {
  tempDir = mkdtempSync(path.join(os.tmpdir(), "socketlings-snippets-"));
  // The snippets use import and top-level await: they are ES modules, for tsc as for esbuild.
  writeFileSync(path.join(tempDir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  snippets.forEach((snippet, index) => writeFileSync(fileOf(index), snippet.code));
  const tsFiles = snippets.flatMap((snippet, index) => (snippet.language === "ts" ? [path.basename(fileOf(index))] : []));
  if (tsFiles.length === 0) return;
  writeFileSync(
    path.join(tempDir, "tsconfig.json"),
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.json"),
      // The config lives outside the repo: point tsc at the repo's own @types.
      compilerOptions: { types: ["node"], typeRoots: [path.join(ROOT, "node_modules", "@types")], noEmit: true },
      files: tsFiles,
      include: [],
    }),
  );
  // Started now, awaited by its own test: it runs while the snippets do.
  const options: TypeCheckOptions = { all: true, reject: false, cwd: tempDir };
  typeCheck = execa(process.execPath, [TSC, "-p", path.join(tempDir, "tsconfig.json"), "--pretty", "false"], options);
});

afterAll(async () => {
  await Promise.all([...live].map((program) => program.stop()));
  if (typeCheck) {
    typeCheck.kill();
    await typeCheck;
  }
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

snippets.forEach((snippet, index) => {
  const name = `${snippet.lesson}:${snippet.line} ${snippet.info}`;
  if (snippet.mode === "malformed") {
    it(name, () => {
      expect.fail(`${name}: ${snippet.problem}`);
    });
    return;
  }
  const skip = snippet.language === "python" && !hasPython;
  const title = skip ? `${name} (skipped: python3 is not installed)` : name;
  if (snippet.mode === "run") it.skipIf(skip)(title, () => runToCompletion(snippet, fileOf(index), name));
  else it.skipIf(skip)(title, () => runServer(snippet, fileOf(index), name));
});

it.skipIf(typeCheckSkipped())("every TypeScript snippet type-checks", async () => {
  const result = await typeCheck!;
  if (result.exitCode === 0) return;
  throw new Error(`tsc found errors in the lessons' TypeScript snippets:\n${describeTypeErrors(result)}`);
});

function typeCheckSkipped(): boolean {
  return !snippets.some((snippet) => snippet.language === "ts");
}

async function runToCompletion(snippet: RunSnippet, file: string, name: string): Promise<void> {
  const program = await start(snippet, file, await freePort("tcp"));
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), RUN_TIMEOUT_MS)));
    const exit = await Promise.race([program.exited, deadline]);
    if (exit === "timeout") {
      await program.stop();
      expect.fail(`${name} did not finish within ${RUN_TIMEOUT_MS / 1000} s${outputOf(program)}`);
    }
    expect(exit, `${name} did not exit with code 0${outputOf(program)}`).toMatchObject({ code: 0, signal: null });
    if (snippet.expectedOutput !== undefined) {
      // stdout and stderr together: a snippet whose output block is exact prints nothing else.
      expect(normalizeOutput(program.output.text()), `${name}: the output differs from the output block after it`).toBe(
        normalizeOutput(snippet.expectedOutput),
      );
    }
  } finally {
    clearTimeout(timer);
    await stop(program);
  }
}

async function runServer(snippet: ServerSnippet, file: string, name: string): Promise<void> {
  const port = await freePort(snippet.transport);
  const program = await start(snippet, file, port);
  try {
    const readiness = await waitUntilReady(program, { transport: snippet.transport, port, timeoutMs: READY_TIMEOUT_MS });
    if (!readiness.ready) {
      const why =
        readiness.reason === "exited"
          ? `exited (code ${readiness.exit.code}, signal ${readiness.exit.signal}) before its ${snippet.transport.toUpperCase()} port ${port} was ready`
          : `did not get its ${snippet.transport.toUpperCase()} port ${port} ready within ${READY_TIMEOUT_MS} ms` +
            (readiness.boundElsewhere.length > 0 ? ` (it is bound to ${readiness.boundElsewhere.join(", ")})` : "");
      expect.fail(`${name} ${why}${outputOf(program)}`);
    }
    await Promise.race([program.exited, sleep(STAYS_UP_MS)]);
    expect(program.running, `${name} exited right after its port was ready: ${JSON.stringify(program.exit)}${outputOf(program)}`).toBe(true);
  } finally {
    await stop(program);
  }
}

async function start(snippet: Snippet, file: string, port: number): Promise<RunningProgram> {
  const spec: ProgramSpec = snippet.language === "ts" ? { kind: "typescript", file } : { kind: "command", command: `python3 ${shellQuote(file)}` };
  const started = await startProgram({
    spec,
    cwd: tempDir,
    env: { ...programEnvironment(), PORT: String(port) },
    cacheDir: path.join(tempDir, "compiled"),
  });
  if (!started.ok) expect.fail(`${snippet.lesson}:${snippet.line} ${snippet.info}: ${started.message}`);
  live.add(started.program);
  return started.program;
}

async function stop(program: RunningProgram): Promise<void> {
  await program.stop();
  live.delete(program);
}

function outputOf(program: RunningProgram): string {
  const lines = program.output.lastLines(30);
  return lines.length === 0 ? "; it printed nothing" : `; its output (stdout and stderr):\n${lines.map((l) => `  | ${l}`).join("\n")}`;
}

/** tsc's `snippet-N.ts(line,col): error ...` lines, pointed at the lesson's own line. */
function describeTypeErrors(result: Result<TypeCheckOptions>): string {
  const text = String(result.all ?? "").trim();
  const mapped = text.split("\n").map((line) => {
    const match = /^snippet-(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!match) return line;
    const snippet = snippets[Number(match[1]) - 1];
    if (!snippet) return line;
    return `${snippet.lesson}:${snippet.line + Number(match[2])}:${match[3]} (${snippet.info} block at line ${snippet.line}): ${match[4]}`;
  });
  return mapped.join("\n") || `tsc exited with code ${result.exitCode} and printed nothing`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
