import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClassResults, StudentOutcome } from "../../grader/instructor/class-results.ts";
import { hasPython } from "../support/diagnosis.ts";
import { ROOT, runCli } from "../support/run-cli.ts";

/**
 * The sample class of test/fixtures/class graded end to end, as an
 * instructor would: alice full marks, bob partial, carol crashes, dave hangs,
 * erin missing files, frank two days late; each with a Python calculator and
 * a TypeScript word-info.
 */
const CLASS = path.join(ROOT, "test", "fixtures", "class");
const ASSIGNMENT = path.join(CLASS, "assignment.json");
const HIDDEN = "replies to each sender, from 50 clients at once";
const EXPECTED: Record<string, number> = { alice: 20, bob: 8, carol: 0, dave: 0, erin: 0, frank: 16 };

let out = "";
let run: Awaited<ReturnType<typeof runCli>>;
let results: ClassResults;
const student = (id: string): StudentOutcome => results.students.find((s) => s.id === id)!;

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), "socketlings-class-"));
  run = await runCli(["grade-class", ASSIGNMENT, CLASS, "--out", out, "--jobs", "2", "--seed", "7"], { timeoutMs: 180_000 });
  results = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as ClassResults;
}, 200_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!hasPython)(`grade-class on the sample class${hasPython ? "" : " (skipped: python3 is not installed)"}`, () => {
  it("grades every student, exit 0, with the expected points", () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(Object.fromEntries(results.students.map((s) => [s.id, s.total]))).toEqual(EXPECTED);
    expect(run.stdout).toMatch(/6 submissions graded in [\d.]+ s/);
    expect(run.stderr).toMatch(/6\/6 graded/);
  });

  it("grades each failure as such, with the reason", () => {
    const erin = student("erin");
    expect(erin.exercises.map((e) => e.problem)).toEqual(["missing calculator.py in the submission", "missing exercises/05-tcp/word-info.ts in the submission"]);
    const carol = student("carol").exercises.find((e) => e.id === "udp-calculator")!;
    // carol binds, then crashes: seen before or after the grader finds the port bound, it is the same crash.
    expect(carol.checks[0]!.feedback).toMatch(/your program exited with code 1/);
    expect(carol.checks[0]!.feedback).toMatch(/NameError: name 'calculate_result' is not defined/);
    const dave = student("dave");
    expect(dave.exercises[0]!.checks[0]!.message).toMatch(/did not bind 127\.0\.0\.1:\d+ within 5000 ms/);
    expect(dave.exercises[1]!.checks[0]!.message).toMatch(/got\s+nothing within 1000 ms/);
    const bob = student("bob").exercises.find((e) => e.id === "word-info")!;
    expect(bob.points).toBe(8);
    expect(bob.checks.find((c) => c.status === "failed")!.feedback).toMatch(/UTF-16/);
  });

  it("applies the late rule from each submission's timestamp file", () => {
    expect(student("frank").late).toMatchObject({ source: "timestamp-file", daysLate: 2, penaltyPercent: 20, penaltyPoints: 4 });
    expect(student("frank").points).toBe(20);
    expect(student("alice").late).toMatchObject({ daysLate: 0, penaltyPoints: 0 });
  });

  it("writes grades.csv that a CSV parser reads, one row per student", () => {
    const rows = parseCsv(readFileSync(path.join(out, "grades.csv")), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.student, Number(r.total)])).toEqual(Object.entries(EXPECTED));
    expect(rows.find((r) => r.student === "frank")).toMatchObject({ "late days": "2", "late penalty": "4", points: "20", max: "20" });
  });

  it("writes junit.xml that an XML parser reads: a suite per student and exercise, a case per check", () => {
    const xml = readFileSync(path.join(out, "junit.xml"), "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml).testsuites.testsuite as { testcase: unknown[] }[];
    expect(suites).toHaveLength(6 * 2);
    // One case per check, plus an error case for each exercise that could not be checked (erin's two).
    const problems = results.students.flatMap((s) => s.exercises).filter((e) => e.problem).length;
    expect(problems).toBe(2);
    expect(suites.reduce((n, s) => n + s.testcase.length, 0)).toBe(6 * (10 + 8) + problems);
  });

  it("writes Gradescope results.json per student with the documented fields, scores adding up", () => {
    for (const id of Object.keys(EXPECTED)) {
      const gs = JSON.parse(readFileSync(path.join(out, "gradescope", id, "results.json"), "utf8"));
      expect(gs.score).toBe(EXPECTED[id]);
      expect(typeof gs.execution_time).toBe("number");
      for (const test of gs.tests) expect(Object.keys(test)).toEqual(expect.arrayContaining(["name", "score", "max_score", "status", "output", "visibility"]));
      expect(gs.tests.reduce((n: number, t: { score: number }) => n + t.score, 0)).toBeCloseTo(EXPECTED[id]!, 5);
      expect(gs.tests.find((t: { name: string }) => t.name.includes(HIDDEN)).visibility).toBe("after_published");
    }
  });

  it("writes GitHub Classroom results per student in the reporter's shape", () => {
    const bob = JSON.parse(readFileSync(path.join(out, "classroom", "bob.json"), "utf8"));
    expect(bob).toMatchObject({ version: 1, status: "fail", max_score: 20 });
    expect(bob.tests.reduce((n: number, t: { score: number }) => n + t.score, 0)).toBeCloseTo(8, 5);
    expect(JSON.stringify(bob)).not.toContain(HIDDEN);
  });

  it("leaves hidden checks out of the feedback students get", () => {
    const feedback = readFileSync(path.join(out, "feedback", "bob.md"), "utf8");
    expect(feedback).toMatch(/\*\*Total: 8 \/ 20 points\*\*/);
    expect(feedback).toMatch(/1 hidden check \(worth 1 point\) will be shown after release/);
    expect(feedback).not.toContain(HIDDEN);
    expect(feedback).not.toContain("50 clients");
    expect(readFileSync(path.join(out, "feedback", "frank.md"), "utf8")).toMatch(/2 days late/);
  });

  it("leaves no process of any submission running", () => {
    const marks = ["test/fixtures/class/", ...Object.keys(EXPECTED).map((id) => `word-info-${createHash("sha1").update(path.join(CLASS, id, "exercises/05-tcp/word-info.ts")).digest("hex").slice(0, 10)}.mjs`)];
    const left = readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .map((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, "latin1").replace(/\0/g, " ");
        } catch {
          return "";
        }
      })
      .filter((cmdline) => marks.some((mark) => cmdline.includes(mark)));
    expect(left).toEqual([]);
  });

  it("gives the same grades for the same seed", async () => {
    const again = await runCli(["grade-submission", ASSIGNMENT, path.join(CLASS, "bob"), "--json", "--seed", "7"]);
    const bob = JSON.parse(again.stdout) as StudentOutcome;
    const statuses = (s: StudentOutcome) => s.exercises.flatMap((e) => e.checks.map((c) => `${e.id}/${c.name}: ${c.status}`));
    expect(statuses(bob)).toEqual(statuses(student("bob")));
  });
});

describe("grade-class refuses bad input before running anything", () => {
  it("names the file, line, field and what was expected, exit 2", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "socketlings-bad-assignment-"));
    try {
      const bad = path.join(dir, "bad.json");
      const { writeFileSync } = await import("node:fs");
      writeFileSync(bad, '{\n  "title": "x",\n  "exercises": [\n    { "id": "udp-calculator", "points": 10, "hidden": ["no such check"] }\n  ]\n}\n');
      const result = await runCli(["grade-class", bad, CLASS, "--out", path.join(dir, "out")]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/bad\.json:4:\d+: exercises\[0\]\.hidden\[0\]: "no such check" is not a check of udp-calculator; its checks are: "answers "5 \+ 6" with "11""/);
      expect(readdirSync(dir)).toEqual(["bad.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
