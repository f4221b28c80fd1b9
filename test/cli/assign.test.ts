import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.ts";
import { makeWorkingCopy } from "../support/working-copy.ts";

const HIDDEN = "replies to each sender, from 50 clients at once";
const ASSIGNMENT = `{
  // Homework 3: a calculator in any language, word info in TypeScript.
  "title": "Homework 3: UDP calculator and TCP word info",
  "due": "2026-12-01T23:59:00Z",
  "late": { "policy": "percent-per-day", "percentPerDay": 10 },
  "exercises": [
    { "id": "udp-calculator", "points": 10, "run": "python3 {dir}/calculator.py", "hidden": [${JSON.stringify(HIDDEN)}] },
    { "id": "word-info", "points": 10 },
  ],
}
`;

let copy: ReturnType<typeof makeWorkingCopy>;
let temp: string;
let pack: string;
let assigned: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  copy = makeWorkingCopy({ git: false });
  // A working copy ships no lock file; the pack needs the course's (the Classroom workflow runs `npm ci`).
  cpSync(path.join(ROOT, "package-lock.json"), path.join(copy.dir, "package-lock.json"));
  temp = mkdtempSync(path.join(os.tmpdir(), "socketlings-assign-"));
  writeFileSync(path.join(temp, "hw3.json"), ASSIGNMENT);
  pack = path.join(temp, "pack");
  assigned = await runCli(["assign", path.join(temp, "hw3.json"), "--out", pack], { cwd: copy.dir });
});
afterAll(() => {
  copy.remove();
  rmSync(temp, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(path.join(pack, file), "utf8");
/** The CLI as a student runs it in the unzipped pack, with the pack's own bin. */
const inPack = (args: string[]) => runCli(args, { cwd: pack });

describe("assign writes a homework pack", () => {
  it("says where the pack is and how students start", () => {
    expect(assigned.stderr).toBe("");
    expect(assigned.exitCode).toBe(0);
    expect(assigned.stdout).toMatch(/^Homework 3: UDP calculator and TCP word info: homework pack written to .*pack\/ \(\d+ files\)/);
    expect(assigned.stdout).toMatch(/npm install && npx socketlings/);
  });

  it("holds the assignment, its lessons with their images, the stubs and the runtime, and no solutions", () => {
    expect(read("assignment.json")).toBe(ASSIGNMENT);
    for (const file of ["ASSIGNMENT.md", "package.json", "package-lock.json", "tsconfig.json", "course.json", "bin/socketlings.mjs", "grader/harness/index.ts", "grader/checks/word-info.check.ts", "grader/checks/udp-calculator.check.ts"]) {
      expect(existsSync(path.join(pack, file)), file).toBe(true);
    }
    expect(read("package-lock.json")).toBe(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
    expect(readdirSync(path.join(pack, "lessons")).sort()).toEqual(["05-tcp.md", "06-udp.md", "images"]);
    expect(read("lessons/05-tcp.md")).toBe(readFileSync(path.join(ROOT, "lessons", "05-tcp.md"), "utf8"));
    // Every image the two lessons show is there, and only those.
    const shown = [...`${read("lessons/05-tcp.md")}${read("lessons/06-udp.md")}`.matchAll(/\]\((images\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(0);
    for (const image of shown) expect(existsSync(path.join(pack, "lessons", image)), image).toBe(true);
    expect(readdirSync(path.join(pack, "lessons", "images")).filter((f) => f.endsWith(".svg")).sort()).toEqual(shown.map((i) => path.basename(i)).sort());
    expect(readdirSync(path.join(pack, "exercises"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts")).sort()).toEqual(["05-tcp/word-info.ts", "06-udp/udp-calculator.ts"]);
    expect(read("exercises/05-tcp/word-info.ts")).toBe(readFileSync(path.join(ROOT, "exercises", "05-tcp", "word-info.ts"), "utf8"));
    for (const absent of ["solutions", "test", "bench", "node_modules", "vitest.config.ts"]) expect(existsSync(path.join(pack, absent)), absent).toBe(false);
  });

  it("cuts course.json down to the two exercises and their lessons, and keeps npm ci exact", () => {
    const course = JSON.parse(read("course.json")) as { lessons: { id: string; exercises: { id: string }[] }[] };
    expect(course.lessons.map((l) => [l.id, l.exercises.map((e) => e.id)])).toEqual([
      ["tcp", ["word-info"]],
      ["udp", ["udp-calculator"]],
    ]);
    const pkg = JSON.parse(read("package.json")) as Record<string, unknown>;
    const repoPkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    for (const field of ["name", "version", "bin", "engines", "dependencies", "devDependencies"]) expect(pkg[field], field).toEqual(repoPkg[field]);
    expect((JSON.parse(read("tsconfig.json")) as { include: string[] }).include).toEqual(["grader", "exercises"]);
  });

  it("ASSIGNMENT.md names the points, the due date, the late rule and what to hand in, and counts hidden checks without naming them", () => {
    const text = read("ASSIGNMENT.md");
    expect(text).toMatch(/^# Homework 3: UDP calculator and TCP word info\n/);
    expect(text).toContain("2026-12-01 23:59 UTC (Tuesday 1 December 2026 at 23:59 UTC)");
    expect(text).toMatch(/10% of your points are taken off for each day late/);
    expect(text).toMatch(/\*\*Points:\*\* 20 in all/);
    expect(text).toMatch(/^\| `udp-calculator`: A UDP calculator \| 6\. UDP: datagrams \| 10 \| 10, 1 of them hidden \| `calculator\.py` \|$/m);
    expect(text).toMatch(/^\| `word-info`: Word info for four clients \| 5\. TCP: a reliable byte stream \| 10 \| 8 \| `exercises\/05-tcp\/word-info\.ts` \|$/m);
    expect(text).toMatch(/1 check is hidden \(1 in `udp-calculator`\)\. It counts toward your points/);
    expect(text).not.toContain(HIDDEN);
    expect(text).toContain('- answers "5 + 6" with "11": 1 point');
    expect(text).toContain('npx socketlings grade udp-calculator --cmd "python3 calculator.py"');
    expect(text).toContain("npx socketlings grade word-info");
    expect(text).toContain("npx socketlings grade-submission assignment.json .");
    expect(text).toContain("[TCP: a reliable byte stream](lessons/05-tcp.md)");
  });
});

describe("the pack works on its own", () => {
  beforeAll(() => {
    // What `npm install` would give the student.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(pack, "node_modules"), "dir");
  });

  it("list shows exactly the homework's two exercises", async () => {
    const run = await inPack(["list"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Lesson 5: TCP: a reliable byte stream/);
    expect(run.stdout).toMatch(/▶ current\s+word-info\s+exercises\/05-tcp\/word-info\.ts/);
    expect(run.stdout).toMatch(/· to do\s+udp-calculator/);
    expect(run.stdout).toMatch(/0\/2 exercises done/);
    expect(run.stdout).not.toMatch(/echo-server|whoami|Lesson 4/);
  });

  it("grade of the stub fails with the grader's explanation, exit 1", async () => {
    const run = await inPack(["grade", "word-info"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ word-info › answers a word with its length and first character/);
    expect(run.stdout).toMatch(/\[client-1\] sent {2}"hello\\n"/);
    expect(run.stdout).toMatch(/expected "5 h\\n"/);
    expect(run.stdout).toMatch(/^ {2}hint: /m);
    expect(run.stdout).toMatch(/word-info: 0 of 8 checks passed/);
  });

  it("grade-submission grades the pack as the whole assignment: the stubs score 0 of 20, the missing program is named", async () => {
    const run = await inPack(["grade-submission", "assignment.json", ".", "--json"]);
    expect(run.exitCode).toBe(0);
    const student = JSON.parse(run.stdout) as { total: number; maxPoints: number; exercises: { id: string; points: number; problem?: string }[] };
    expect(student.maxPoints).toBe(20);
    expect(student.total).toBe(0);
    expect(student.exercises.find((e) => e.id === "udp-calculator")?.problem).toMatch(/calculator\.py/);
  });
});

describe("assign refuses to write where it should not", () => {
  it("an --out that is not empty: exit 2, and nothing in it changes", async () => {
    const out = path.join(temp, "busy");
    mkdirSync(out);
    writeFileSync(path.join(out, "notes.txt"), "mine\n");
    const run = await runCli(["assign", path.join(temp, "hw3.json"), "--out", out], { cwd: copy.dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/assign: --out .*busy is not empty/);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
    expect(readdirSync(temp).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("an empty --out is fine; a missing --out or assignment is a usage error", async () => {
    const out = path.join(temp, "empty");
    mkdirSync(out);
    expect((await runCli(["assign", path.join(temp, "hw3.json"), "--out", out], { cwd: copy.dir })).exitCode).toBe(0);
    expect(existsSync(path.join(out, "ASSIGNMENT.md"))).toBe(true);
    const noOut = await runCli(["assign", path.join(temp, "hw3.json")], { cwd: copy.dir });
    expect(noOut.exitCode).toBe(2);
    expect(noOut.stderr).toMatch(/assign: say where the pack goes: --out <folder>/);
    const noFile = await runCli(["assign", "--out", path.join(temp, "other")], { cwd: copy.dir });
    expect(noFile.exitCode).toBe(2);
    expect(existsSync(path.join(temp, "other"))).toBe(false);
  });

  it("an --out inside a folder the pack copies would copy the pack into itself: exit 2", async () => {
    const run = await runCli(["assign", path.join(temp, "hw3.json"), "--out", path.join("grader", "pack")], { cwd: copy.dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/assign: --out grader\/pack is inside the course's grader\/ folder/);
    expect(existsSync(path.join(copy.dir, "grader", "pack"))).toBe(false);
  });

  it("a broken assignment writes nothing", async () => {
    writeFileSync(path.join(temp, "bad.json"), '{ "title": "x", "exercises": [{ "id": "nope", "points": 1 }] }');
    const out = path.join(temp, "never");
    const run = await runCli(["assign", path.join(temp, "bad.json"), "--out", out], { cwd: copy.dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/exercises\[0\]\.id: expected one of the course's exercises/);
    expect(existsSync(out)).toBe(false);
  });
});
