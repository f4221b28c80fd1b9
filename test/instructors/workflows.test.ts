import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/run-cli.ts";
import { gradesCsv } from "../../grader/instructor/reports/grades-csv.ts";
import type { ClassResults, StudentOutcome } from "../../grader/instructor/class-results.ts";

const CLASSROOM = path.join(ROOT, "instructors", "github-classroom", "classroom.yml");
const GRADE_CLASS = path.join(ROOT, "instructors", "github-actions", "grade-class.yml");

// ---------------------------------------------------------------------------
// The project has no YAML parser, so this reads the subset the workflows are
// written in, strictly: block mappings and sequences indented 2 spaces per
// level, plain, quoted and literal block (`|`) scalars, and comments. Anything
// else (tabs, flow collections, anchors, odd indentation) fails the test
// rather than being guessed at.
// ---------------------------------------------------------------------------
type Yaml = string | null | Yaml[] | { [key: string]: Yaml };
type YamlMap = { [key: string]: Yaml };

function readYaml(source: string, file: string): Yaml {
  const lines = source.split("\n");
  let at = 0;
  const fail = (problem: string): never => {
    throw new Error(`${path.basename(file)}:${at + 1}: ${problem}: ${JSON.stringify(lines[at])}`);
  };
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const significant = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");
  const skipBlank = () => {
    while (at < lines.length && !significant(lines[at]!)) at++;
  };
  const isItem = (text: string) => text === "-" || text.startsWith("- ");

  function node(indent: number): Yaml {
    skipBlank();
    if (at >= lines.length) fail("expected a value");
    if (indentOf(lines[at]!) !== indent) fail(`expected indentation ${indent}`);
    return isItem(lines[at]!.trimStart()) ? sequence(indent) : mapping(indent);
  }

  function mapping(indent: number, firstText?: string): YamlMap {
    const result: YamlMap = {};
    let text = firstText;
    for (;;) {
      if (text === undefined) {
        skipBlank();
        if (at >= lines.length || indentOf(lines[at]!) < indent) return result;
        if (indentOf(lines[at]!) > indent) fail(`unexpected indentation (expected ${indent})`);
        text = lines[at]!.trimStart();
        if (isItem(text)) return result;
      }
      const entry = /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z_][\w.-]*):(?: +(.*))?$/.exec(text);
      if (!entry) fail("expected `key: value`");
      const key = scalar(entry![1]!);
      if (key! in result) fail(`"${key}" appears twice`);
      at++;
      result[key!] = value(indent, entry![2]);
      text = undefined;
    }
  }

  function sequence(indent: number): Yaml[] {
    const result: Yaml[] = [];
    for (;;) {
      skipBlank();
      if (at >= lines.length || indentOf(lines[at]!) < indent) return result;
      const text = lines[at]!.trimStart();
      if (indentOf(lines[at]!) > indent) fail(`unexpected indentation (expected ${indent})`);
      if (!isItem(text)) return result;
      const item = text.slice(2);
      // "- key: value" opens a mapping whose keys sit 2 columns right of the dash.
      if (/^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z_][\w.-]*):( |$)/.test(item)) result.push(mapping(indent + 2, item));
      else {
        result.push(scalar(item));
        at++;
      }
    }
  }

  /** What follows `key:` on its line: nothing (a nested block), `|` (a literal block), or a scalar. */
  function value(indent: number, rest: string | undefined): Yaml {
    const text = rest === undefined || rest.startsWith("#") ? "" : rest;
    if (text === "|" || text === "|-") {
      const content: string[] = [];
      while (at < lines.length && (lines[at]!.trim() === "" || indentOf(lines[at]!) > indent)) content.push(lines[at++]!);
      while (content.length > 0 && content[content.length - 1]!.trim() === "") content.pop();
      const first = content.find((l) => l.trim() !== "");
      if (first === undefined || indentOf(first) !== indent + 2) fail(`a block scalar's lines are indented ${indent + 2}`);
      const body = content.map((l) => l.slice(indent + 2)).join("\n");
      return text === "|" ? `${body}\n` : body;
    }
    if (text !== "") return scalar(text);
    skipBlank();
    if (at < lines.length && indentOf(lines[at]!) > indent) {
      if (indentOf(lines[at]!) !== indent + 2) fail(`a nested block is indented ${indent + 2}`);
      return node(indent + 2);
    }
    return null;
  }

  function scalar(raw: string): string {
    const text = raw.replace(/\s+#.*$/, "").trim();
    if (text.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) fail("unterminated double-quoted string");
      return JSON.parse(text) as string;
    }
    if (text.startsWith("'")) {
      if (!/^'(?:[^']|'')*'$/.test(text)) fail("unterminated single-quoted string");
      return text.slice(1, -1).replace(/''/g, "'");
    }
    if (/^[[\]{}&*!|>%@`]/.test(text)) fail("flow collections, anchors, tags and folded blocks are outside the subset");
    if (/: /.test(text) || text.endsWith(":")) fail('a plain scalar with ": " needs quotes');
    return text;
  }

  const doc = node(0);
  skipBlank();
  if (at < lines.length) fail("unexpected text after the document");
  return doc;
}

/** The text-level rules a YAML subset reader cannot see: tabs, indentation steps, trailing spaces. */
function layoutProblems(source: string): string[] {
  const problems: string[] = [];
  if (!source.endsWith("\n")) problems.push("the file does not end with a newline");
  source.split("\n").forEach((line, i) => {
    if (line.includes("\t")) problems.push(`line ${i + 1}: a tab`);
    if (/\s$/.test(line)) problems.push(`line ${i + 1}: trailing whitespace`);
    if (line.trim() !== "" && (line.length - line.trimStart().length) % 2 !== 0) problems.push(`line ${i + 1}: indentation is not a multiple of 2`);
  });
  return problems;
}

const asMap = (v: Yaml | undefined, what: string): YamlMap => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what}: expected a mapping, got ${JSON.stringify(v)}`);
  return v;
};
const asList = (v: Yaml | undefined, what: string): Yaml[] => {
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list, got ${JSON.stringify(v)}`);
  return v;
};
const stepsOf = (job: YamlMap, name: string) => asList(job.steps, `${name}.steps`).map((s, i) => asMap(s, `${name}.steps[${i}]`));
const jobsOf = (doc: Yaml) => Object.entries(asMap(asMap(doc, "the file").jobs, "jobs")).map(([name, job]) => [name, asMap(job, name)] as const);
const stepWithId = (job: YamlMap, id: string) => stepsOf(job, "job").find((s) => s.id === id);

function workflow(file: string): { text: string; doc: Yaml } {
  const text = readFileSync(file, "utf8");
  return { text, doc: readYaml(text, file) };
}

/** A step's shell script as the runner would run it, with the CLI the repo has rather than one npx would fetch. */
async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  expect(script).toContain("npx socketlings ");
  const local = script.replaceAll("npx socketlings ", `"${process.execPath}" "${path.join(ROOT, "bin", "socketlings.mjs")}" `);
  const file = path.join(cwd, `.step-${process.pid}.sh`);
  writeFileSync(file, local);
  try {
    // How GitHub runs a `run:` step on Linux with bash.
    const result = await execa("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd, env: { NO_COLOR: "1", ...env }, reject: false, timeout: 120_000 });
    return { exitCode: result.exitCode ?? -1, stderr: result.stderr };
  } finally {
    rmSync(file, { force: true });
  }
}

/** `name=value` lines a step appended to $GITHUB_OUTPUT. */
function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("the YAML subset reader", () => {
  it("reads mappings, lists of mappings, quoted and block scalars", () => {
    const text = 'name: A\n"on":\n  - push\njobs:\n  one:\n    steps:\n      - id: a # a comment\n        run: |\n          echo "x=1" >> "$GITHUB_OUTPUT"\n\n          echo done\n      - uses: \'o/r@v1\'\n';
    expect(readYaml(text, "t.yml")).toEqual({
      name: "A",
      on: ["push"],
      jobs: { one: { steps: [{ id: "a", run: 'echo "x=1" >> "$GITHUB_OUTPUT"\n\necho done\n' }, { uses: "o/r@v1" }] } },
    });
  });

  it.each([
    ["a nested block indented 4", "a:\n    b: c\n"],
    ["a flow list", "a: [b, c]\n"],
    ["a key twice", "a: b\na: c\n"],
    ["a plain value with ': '", "a: b: c\n"],
    ["a stray deeper line", "a: b\n   c: d\n"],
    ["an unterminated string", 'a: "b\n'],
  ])("rejects %s", (_, text) => {
    expect(() => readYaml(text, "t.yml")).toThrow(/t\.yml:\d+: /);
  });

  it("finds tabs, odd indentation and trailing spaces", () => {
    expect(layoutProblems('a: "b\tc"\n   d: e \n')).toEqual(["line 1: a tab", "line 2: trailing whitespace", "line 2: indentation is not a multiple of 2"]);
  });
});

describe("the workflows are well-formed", () => {
  for (const file of [CLASSROOM, GRADE_CLASS]) {
    describe(path.relative(ROOT, file), () => {
      it("is YAML in the strict subset: no tabs, 2-space steps, nothing the reader would have to guess", () => {
        const { text } = workflow(file);
        expect(layoutProblems(text)).toEqual([]);
      });

      it("pins every action to a version, and names only steps and jobs that exist", () => {
        const { text, doc } = workflow(file);
        const jobs = jobsOf(doc);
        expect(jobs.length).toBeGreaterThan(0);
        for (const [name, job] of jobs) {
          expect(job["runs-on"], name).toBe("ubuntu-latest");
          const steps = stepsOf(job, name);
          for (const step of steps) {
            if (step.uses !== undefined) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
            else expect(typeof step.run, `a step of ${name} neither uses an action nor runs a command`).toBe("string");
          }
          const ids = steps.map((s) => s.id).filter((id) => id !== undefined);
          expect(new Set(ids).size, `step ids of ${name} are unique`).toBe(ids.length);
          // Every ${{ steps.X.outputs.Y }} in a job names a step of that job that writes Y to $GITHUB_OUTPUT.
          const jobText = JSON.stringify(job);
          for (const [, id, output] of jobText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
            const step = stepWithId(job, id!);
            expect(step, `${name} names a step "${id}" it does not have`).toBeDefined();
            expect(String(step!.run)).toMatch(new RegExp(`echo "${output}=.*" >> "\\$GITHUB_OUTPUT"`));
          }
        }
        // Every needs.X.outputs.Y names a job X that is needed and declares output Y.
        const byName = new Map(jobs);
        for (const [, job, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          expect(asMap(byName.get(job!)?.outputs, `${job}.outputs`)[output!], `${job} declares the output ${output}`).toBeDefined();
        }
      });
    });
  }
});

describe("github-classroom/classroom.yml", () => {
  const { doc } = workflow(CLASSROOM);
  const top = asMap(doc, "the file");
  const job = jobsOf(doc)[0]![1];

  it("has the shape of GitHub Classroom's own generated workflow", () => {
    expect(top.name).toBe("Autograding Tests");
    expect(top.on).toEqual(["push", "repository_dispatch"]);
    expect(top.permissions).toEqual({ checks: "write", actions: "read", contents: "read" });
    expect(jobsOf(doc)).toHaveLength(1);
    expect(job.if).toBe("github.actor != 'github-classroom[bot]'");
    const steps = stepsOf(job, "job");
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
      expect.stringContaining("npx socketlings grade-submission assignment.json . --classroom > socketlings.json"),
      "classroom-resources/autograding-grading-reporter@v1",
    ]);
    expect(asMap(steps[1]!.with, "setup-node.with")["node-version"]).toBe("20");
  });

  it("hands the reporter each runner's results as <RUNNER ID UPPERCASED>_RESULTS, from a step that writes them to $GITHUB_OUTPUT", () => {
    const steps = stepsOf(job, "job");
    const reporter = steps.find((s) => String(s.uses).startsWith("classroom-resources/autograding-grading-reporter@"))!;
    const runners = String(asMap(reporter.with, "reporter.with").runners).split(",").map((r) => r.trim());
    expect(runners).toEqual(["socketlings"]);
    const env = asMap(reporter.env, "reporter.env");
    // The reporter reads process.env[`${runner.trim().toUpperCase()}_RESULTS`]: nothing else, nothing missing.
    expect(Object.keys(env).sort()).toEqual(runners.map((r) => `${r.toUpperCase()}_RESULTS`).sort());
    for (const runner of runners) {
      expect(env[`${runner.toUpperCase()}_RESULTS`]).toBe(`\${{ steps.${runner}.outputs.result }}`);
      const step = stepWithId(job, runner)!;
      expect(steps.indexOf(step)).toBeLessThan(steps.indexOf(reporter));
      expect(step.run).toContain('echo "result=$(base64 -w0 socketlings.json)" >> "$GITHUB_OUTPUT"');
    }
  });
});

describe("github-actions/grade-class.yml", () => {
  const { doc } = workflow(GRADE_CLASS);
  const jobs = new Map(jobsOf(doc));

  it("lists the students, grades each in a matrix job of its own, then collects every result", () => {
    expect(asMap(doc, "the file").permissions).toEqual({ contents: "read" });
    const grade = jobs.get("grade")!;
    expect(grade.needs).toBe("list-students");
    const strategy = asMap(grade.strategy, "grade.strategy");
    expect(strategy["fail-fast"]).toBe("false");
    expect(asMap(strategy.matrix, "matrix").student).toBe("${{ fromJSON(needs.list-students.outputs.students) }}");
    expect(stepsOf(grade, "grade").map((s) => s.uses ?? s.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
      expect.stringContaining('npx socketlings grade-submission assignment.json "submissions/$STUDENT" --json'),
      "actions/upload-artifact@v4",
    ]);
    const collect = jobs.get("collect")!;
    expect(collect.needs).toBe("grade");
    expect(collect.if).toBe("${{ !cancelled() }}");
    const download = stepsOf(collect, "collect").find((s) => s.uses === "actions/download-artifact@v4")!;
    expect(download.uses).toBe("actions/download-artifact@v4");
    expect(asMap(download.with, "download.with")).toMatchObject({ pattern: "result-*", "merge-multiple": "true" });
  });
});

// ---------------------------------------------------------------------------
// The steps themselves, run as a runner would on a sample submission: the
// reference solution of udp-calculator (which passes, hidden check and all)
// and the stub of word-info (which fails), with an assignment beside them.
// ---------------------------------------------------------------------------
const HIDDEN = "replies to each sender, from 50 clients at once";
const ASSIGNMENT = {
  title: "Sample homework",
  exercises: [
    { id: "udp-calculator", points: 10, hidden: [HIDDEN] },
    { id: "word-info", points: 10 },
  ],
};

describe("the workflows' steps, run on a sample submission", () => {
  let temp: string;
  beforeAll(() => {
    temp = mkdtempSync(path.join(os.tmpdir(), "socketlings-workflows-"));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  /** A student's folder: what a Classroom repository holds beside the course runtime. */
  const makeSubmission = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(ROOT, "solutions", "06-udp", "udp-calculator.ts"), path.join(dir, "exercises", "06-udp", "udp-calculator.ts"));
    cpSync(path.join(ROOT, "exercises", "05-tcp", "word-info.ts"), path.join(dir, "exercises", "05-tcp", "word-info.ts"));
  };

  it("classroom.yml's grading step writes base64 JSON that GitHub Classroom's reporter reads: version, status, max_score, tests", async () => {
    const repo = path.join(temp, "student-repo");
    makeSubmission(repo);
    writeFileSync(path.join(repo, "assignment.json"), JSON.stringify(ASSIGNMENT, null, 2));
    const output = path.join(temp, "classroom-output");
    writeFileSync(output, "");
    const step = stepWithId(jobsOf(workflow(CLASSROOM).doc)[0]![1], "socketlings")!;
    const run = await runStep(String(step.run), repo, { GITHUB_OUTPUT: output });
    expect(run.stderr).not.toMatch(/Unknown option '--classroom'/);
    expect(run.exitCode, run.stderr).toBe(0);

    // What the reporter does with SOCKETLINGS_RESULTS: base64 → UTF-8 → JSON.
    const encoded = outputsOf(output).result!;
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const results = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as {
      version: number;
      status: string;
      max_score: number;
      tests: { name: string; status: string; score: number; message: string }[];
    };
    expect(results.version).toBe(1);
    expect(results.max_score).toBe(20);
    expect(results.status).toBe("fail");
    expect(results.tests.length).toBeGreaterThan(10);
    for (const test of results.tests) {
      expect(typeof test.name).toBe("string");
      expect(["pass", "fail", "error"]).toContain(test.status);
      expect(typeof test.score).toBe("number");
    }
    // The reporter's grade is the sum of the scores: the calculator's 10 points, hidden check included; none for the stub.
    expect(results.tests.reduce((sum, t) => sum + t.score, 0)).toBeCloseTo(10, 5);
    expect(results.tests.some((t) => t.status === "fail" && /word-info/.test(t.name) && t.message.length > 0)).toBe(true);
    expect(JSON.stringify(results)).not.toContain(HIDDEN);
  });

  it("grade-class.yml's steps list the students, grade one to JSON, and collect the reports grade-class writes", async () => {
    const repo = path.join(temp, "class-repo");
    for (const student of ["alice", "bob"]) makeSubmission(path.join(repo, "submissions", student));
    mkdirSync(path.join(repo, "submissions", ".git-notes"));
    writeFileSync(path.join(repo, "assignment.json"), JSON.stringify(ASSIGNMENT, null, 2));
    const jobs = new Map(jobsOf(workflow(GRADE_CLASS).doc));

    const listOutput = path.join(temp, "list-output");
    writeFileSync(listOutput, "");
    const list = stepWithId(jobs.get("list-students")!, "list")!;
    const listed = await execa("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", String(list.run)], { cwd: repo, env: { GITHUB_OUTPUT: listOutput }, reject: false });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(outputsOf(listOutput).students!)).toEqual(["alice", "bob"]);

    const gradeStep = stepsOf(jobs.get("grade")!, "grade").find((s) => String(s.run).includes("grade-submission"))!;
    const graded = await runStep(String(gradeStep.run), repo, { STUDENT: "alice", SEED: "" });
    expect(graded.exitCode, graded.stderr).toBe(0);
    const alice = JSON.parse(readFileSync(path.join(repo, "results", "alice.json"), "utf8")) as StudentOutcome;
    expect(alice.id).toBe("alice");
    expect(alice.maxPoints).toBe(20);
    expect(alice.total).toBeCloseTo(10, 5);

    // bob's job, as if it ran on another runner: a late, partly graded copy of alice's.
    const bob: StudentOutcome = { ...alice, id: "bob", total: 7.5, late: { ...alice.late, daysLate: 1, penaltyPoints: 2.5 } };
    writeFileSync(path.join(repo, "results", "bob.json"), JSON.stringify(bob));
    const summary = path.join(temp, "summary.md");
    const collect = stepsOf(jobs.get("collect")!, "collect").find((s) => String(s.run).includes("grade-class"))!;
    const collected = await runStep(String(collect.run), repo, { GITHUB_STEP_SUMMARY: summary });
    expect(collected.exitCode, collected.stderr).toBe(0);
    const expected = gradesCsv({ students: [alice, bob] } as ClassResults);
    expect(readFileSync(path.join(repo, "reports", "grades.csv"), "utf8")).toBe(expected);
    for (const file of ["results.json", "junit.xml", "feedback/alice.md", "gradescope/bob/results.json", "classroom/bob.json"]) {
      expect(existsSync(path.join(repo, "reports", file)), file).toBe(true);
    }
    expect(readFileSync(summary, "utf8")).toMatch(/^\| alice \| 10 \| 20 \|$/m);
    expect(readFileSync(summary, "utf8")).toMatch(/^\| bob \| 7\.5 \| 20 \|$/m);
  });
});
