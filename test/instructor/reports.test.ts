import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it } from "vitest";
import type { CheckOutcome, ClassResults, ExerciseOutcome, StudentOutcome } from "../../grader/instructor/class-results.ts";
import { classroomResults, HIDDEN_CHECKS_NAME } from "../../grader/instructor/reports/classroom.ts";
import { feedbackMarkdown } from "../../grader/instructor/reports/feedback-markdown.ts";
import { gradescopeResults } from "../../grader/instructor/reports/gradescope.ts";
import { gradesCsv } from "../../grader/instructor/reports/grades-csv.ts";
import { junitXml } from "../../grader/instructor/reports/junit-xml.ts";
import { writeReports } from "../../grader/instructor/reports/write-reports.ts";

// ---- fixture: five students, two exercises of 10 points each ----

const TRICKY_NAME = 'answers "PING" with <PONG> & a newline';
const HIDDEN_NAME = "survives 50 clients at once";
const HIDDEN_MESSAGE = "[client-37] got nothing within 1000 ms";
const HIDDEN_FEEDBACK = `✗ chat-server › ${HIDDEN_NAME}\n  ${HIDDEN_MESSAGE}\n  hint: SECRET-HIDDEN-HINT`;
// A raw SOH from the program's output, plus the grader's own quoted bytes ("\x00" as four characters).
const RAW_CONTROL_FEEDBACK = `✗ chat-server › ${TRICKY_NAME}\n  [client-1] sent  "PING\\n"\n  [client-1] got   "\x01PONG\\x00"\n  expected "<PONG>\\n" & nothing else`;

const check = (name: string, status: CheckOutcome["status"], maxPoints: number, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({
  name,
  status,
  maxPoints,
  points: status === "passed" ? maxPoints : 0,
  hidden: false,
  message: status === "failed" ? `${name} failed` : null,
  hint: null,
  feedback: status === "failed" ? `✗ ${name}\n  it failed` : "",
  durationMs: 120,
  ...extra,
});

const exercise = (id: string, checks: CheckOutcome[], extra: Partial<ExerciseOutcome> = {}): ExerciseOutcome => ({
  id,
  title: id === "echo-server" ? "Echo server" : "Chat server",
  program: `exercises/${id}.ts`,
  points: checks.reduce((n, c) => n + c.points, 0),
  maxPoints: checks.reduce((n, c) => n + c.maxPoints, 0),
  checks,
  durationMs: 1500,
  ...extra,
});

const ON_TIME = { submittedAt: "2025-03-01T10:00:00Z", source: "folder-time", daysLate: 0, penaltyPercent: 0, penaltyPoints: 0, rule: "10% per day late" } as const;

const student = (id: string, exercises: ExerciseOutcome[], extra: Partial<StudentOutcome> = {}): StudentOutcome => {
  const points = exercises.reduce((n, e) => n + e.points, 0);
  return { id, exercises, late: ON_TIME, points, total: points, maxPoints: 20, durationMs: 4000, ...extra };
};

const fullEcho = () => exercise("echo-server", [check("echoes a line", "passed", 5), check("echoes binary data", "passed", 5)]);
const fullChat = () => exercise("chat-server", [check(TRICKY_NAME, "passed", 6), check(HIDDEN_NAME, "passed", 4, { hidden: true })]);

const alice = student("alice", [fullEcho(), fullChat()]);
const bob = student("bob", [
  fullEcho(),
  exercise("chat-server", [
    check(TRICKY_NAME, "failed", 6, { message: `[client-1] got "\\x01PONG\\x00"`, feedback: RAW_CONTROL_FEEDBACK, hint: "split on \\n" }),
    check(HIDDEN_NAME, "failed", 4, { hidden: true, message: HIDDEN_MESSAGE, feedback: HIDDEN_FEEDBACK, hint: "SECRET-HIDDEN-HINT" }),
  ]),
]);
const carol = student("carol", [
  exercise("echo-server", [check("echoes a line", "skipped", 5, { durationMs: 0 }), check("echoes binary data", "skipped", 5, { durationMs: 0 })], { problem: "missing file carol/echo-server.ts", durationMs: 10 }),
  fullChat(),
]);
const lateDave = student("dave, jr", [fullEcho(), fullChat()], {
  late: { submittedAt: "2025-03-03T09:00:00Z", source: "folder-time", daysLate: 2, penaltyPercent: 20, penaltyPoints: 4, rule: "10% per day late" },
  total: 16,
});
const broken = student("eve", [], { error: "TypeError: cannot read properties of undefined", durationMs: 50 });

const RESULTS: ClassResults = {
  assignment: { title: "Homework 3: <servers> & clients", due: "2025-03-01T12:00:00Z", file: "hw3.json" },
  seed: "42",
  gradedAt: "2025-03-05T08:00:00Z",
  hiddenReleased: false,
  isolation: "processes",
  students: [alice, bob, carol, lateDave, broken],
};

const released: ClassResults = { ...RESULTS, hiddenReleased: true };
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

// ---- CSV ----

describe("gradesCsv", () => {
  const csv = gradesCsv(RESULTS);
  const records = parse(csv, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];

  it("has a header an LMS import can map: student, one column per exercise, then totals", () => {
    expect(csv.split("\r\n")[0]).toBe("student,echo-server (of 10),chat-server (of 10),points,late days,late penalty,total,max");
  });

  it("writes one row per student, with every number matching the results", () => {
    expect(records.map((r) => r["student"])).toEqual(["alice", "bob", "carol", "dave, jr", "eve"]);
    for (const [record, s] of records.map((r, i) => [r, RESULTS.students[i]!] as const)) {
      expect(Number(record["points"])).toBe(s.points);
      expect(Number(record["late penalty"])).toBe(s.late.penaltyPoints);
      expect(Number(record["late days"])).toBe(s.late.daysLate);
      expect(Number(record["total"])).toBe(s.total);
      expect(Number(record["max"])).toBe(s.maxPoints);
      for (const e of s.exercises) expect(Number(record[`${e.id} (of 10)`])).toBe(e.points);
    }
    expect(records[1]).toMatchObject({ "chat-server (of 10)": "0", total: "10" });
    expect(records[3]).toMatchObject({ "late days": "2", "late penalty": "4", total: "16" });
  });

  it("leaves the cells of a submission the grader failed on empty, not 0", () => {
    expect(records[4]).toMatchObject({ "echo-server (of 10)": "", "chat-server (of 10)": "", total: "0" });
  });

  it("quotes per RFC 4180 and ends every line with CRLF, without a byte order mark", () => {
    expect(csv).toContain('\r\n"dave, jr",');
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const quoted = gradesCsv({ ...RESULTS, students: [student('say "hi"\nbye', [fullEcho()])] });
    expect(quoted.split("\r\n")[1]).toBe('"say ""hi""\nbye",10,10,0,0,10,20');
  });

  it("prints at most two decimals and no thousands separators", () => {
    const third = check("a third", "passed", 10 / 3);
    const csvOfThirds = gradesCsv({ ...RESULTS, students: [student("x", [exercise("echo-server", [third])], { points: 1234.5678, total: 1234.5678, maxPoints: 2000 })] });
    expect(csvOfThirds.split("\r\n")[1]).toBe("x,3.33,1234.57,0,0,1234.57,2000");
  });
});

// ---- JUnit XML ----

describe("junitXml", () => {
  const xml = junitXml(RESULTS);
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["testsuite", "testcase", "property"].includes(name) });
  const doc = parser.parse(xml) as { testsuites: Record<string, string> & { testsuite: Suite[] } };
  type Case = Record<string, unknown> & { "@_name": string; failure?: { "#text": string; "@_message": string }; error?: { "@_message": string } };
  type Suite = Record<string, string> & { testcase: Case[] };
  const suites = doc.testsuites.testsuite;
  const allCases = suites.flatMap((s) => s.testcase);

  it("is valid XML with the declaration first and no raw control characters", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F]/);
  });

  it("has one suite per student and exercise, and one for a submission the grader failed on", () => {
    expect(suites.map((s) => s["@_name"])).toEqual([
      "alice › echo-server", "alice › chat-server", "bob › echo-server", "bob › chat-server",
      "carol › echo-server", "carol › chat-server", "dave, jr › echo-server", "dave, jr › chat-server", "eve › (grading)",
    ]);
  });

  it("counts tests, failures, errors and skipped consistently at every level", () => {
    // 16 checks, carol's problem and eve's grader error.
    expect(doc.testsuites).toMatchObject({ "@_name": RESULTS.assignment.title, "@_tests": "18", "@_failures": "2", "@_errors": "2", "@_skipped": "2" });
    expect(allCases).toHaveLength(18);
    expect(allCases.filter((c) => c.failure !== undefined)).toHaveLength(2);
    expect(allCases.filter((c) => c.error !== undefined)).toHaveLength(2);
    expect(allCases.filter((c) => "skipped" in c)).toHaveLength(2);
    for (const suite of suites) {
      expect(Number(suite["@_tests"])).toBe(suite.testcase.length);
      expect(Number(suite["@_failures"])).toBe(suite.testcase.filter((c) => c.failure !== undefined).length);
    }
    expect(suites[0]).toMatchObject({ "@_time": "1.500" });
  });

  it("names test cases <student>.<exercise> and keeps names with quotes, < and & intact", () => {
    const tricky = allCases.find((c) => c["@_classname"] === "bob.chat-server" && c["@_name"] === TRICKY_NAME);
    expect(tricky?.failure?.["@_message"]).toBe('[client-1] got "\\x01PONG\\x00"');
    // The raw SOH is written as \x01, the quoted "\x00" stays as the four characters it was.
    expect(tricky?.failure?.["#text"]).toBe(RAW_CONTROL_FEEDBACK.replace("\x01", "\\x01"));
  });

  it("includes hidden checks, marked by name and property", () => {
    const hidden = allCases.find((c) => c["@_classname"] === "bob.chat-server" && c["@_name"] === `[hidden] ${HIDDEN_NAME}`);
    expect(hidden?.failure?.["#text"]).toBe(HIDDEN_FEEDBACK);
    expect(hidden?.["properties"]).toEqual({ property: [{ "@_name": "hidden", "@_value": "true" }] });
  });

  it("reports an exercise that could not be checked as an error", () => {
    const carolEcho = suites.find((s) => s["@_name"] === "carol › echo-server")!;
    expect(carolEcho).toMatchObject({ "@_errors": "1", "@_skipped": "2" });
    expect(carolEcho.testcase.at(-1)?.error?.["@_message"]).toBe("missing file carol/echo-server.ts");
  });
});

// ---- Gradescope ----

const GRADESCOPE_KEYS = ["execution_time", "output", "output_format", "score", "test_output_format", "tests", "visibility"];
const GRADESCOPE_TEST_KEYS = ["max_score", "name", "output", "score", "status", "visibility"];

describe("gradescopeResults", () => {
  it("has only fields of Gradescope's results.json, and a score equal to the total that the tests add up to", () => {
    for (const s of RESULTS.students) {
      const json = gradescopeResults(s, RESULTS);
      expect(Object.keys(json).sort()).toEqual(GRADESCOPE_KEYS);
      for (const t of json.tests) expect(Object.keys(t).sort()).toEqual(GRADESCOPE_TEST_KEYS);
      expect(json.score).toBe(s.total);
      expect(sum(json.tests.map((t) => t.score))).toBeCloseTo(s.total, 9);
      expect(sum(json.tests.map((t) => t.max_score))).toBe(s.exercises.length === 0 ? 0 : s.maxPoints);
      expect(json.visibility).toBe("visible");
    }
  });

  it("names a test per check and gives a failed one the learner's failure text", () => {
    const json = gradescopeResults(bob, RESULTS);
    expect(json.tests.map((t) => t.name)).toEqual(["echo-server › echoes a line", "echo-server › echoes binary data", `chat-server › ${TRICKY_NAME}`, `chat-server › ${HIDDEN_NAME}`]);
    expect(json.tests[0]).toMatchObject({ score: 5, max_score: 5, status: "passed", output: "", visibility: "visible" });
    expect(json.tests[2]).toMatchObject({ score: 0, max_score: 6, status: "failed", output: RAW_CONTROL_FEEDBACK.replace("\x01", "\\x01") });
    expect(json.execution_time).toBe(4);
    expect(JSON.stringify(json)).not.toContain("\\u0001");
  });

  it("shows hidden checks after publication until released", () => {
    expect(gradescopeResults(bob, RESULTS).tests[3]?.visibility).toBe("after_published");
    expect(gradescopeResults(bob, released).tests[3]?.visibility).toBe("visible");
    expect(gradescopeResults(bob, RESULTS).output).not.toContain(HIDDEN_NAME);
  });

  it("takes the late penalty off as a last test with a negative score", () => {
    const json = gradescopeResults(lateDave, RESULTS);
    expect(json.tests.at(-1)).toEqual({ name: "late penalty", score: -4, max_score: 0, status: "failed", output: "2 days late (10% per day late): −20%, −4 points", visibility: "visible" });
    expect(json.score).toBe(16);
    expect(json.output).toContain("2 days late");
  });

  it("says why an exercise could not be checked", () => {
    const json = gradescopeResults(carol, RESULTS);
    expect(json.output).toContain("echo-server could not be checked: missing file carol/echo-server.ts");
    expect(gradescopeResults(broken, RESULTS).output).toContain("TypeError");
  });
});

// ---- GitHub Classroom ----

const CLASSROOM_KEYS = ["max_score", "status", "tests", "version"];
const CLASSROOM_TEST_KEYS = ["duration", "filename", "line_no", "message", "name", "score", "status", "test_code"];

describe("classroomResults", () => {
  it("has exactly the reporter's fields, and scores adding up to the total against the maximum", () => {
    for (const s of RESULTS.students) {
      for (const setting of [RESULTS, released]) {
        const json = classroomResults(s, setting);
        expect(Object.keys(json).sort()).toEqual(CLASSROOM_KEYS);
        for (const t of json.tests) expect(Object.keys(t).sort()).toEqual(CLASSROOM_TEST_KEYS);
        expect(json.version).toBe(1);
        expect(json.max_score).toBe(s.maxPoints);
        expect(sum(json.tests.map((t) => t.score))).toBeCloseTo(s.total, 9);
      }
    }
  });

  it("passes a full-marks student and fails a partial one", () => {
    expect(classroomResults(alice, RESULTS).status).toBe("pass");
    expect(classroomResults(bob, RESULTS).status).toBe("fail");
  });

  it("folds unreleased hidden checks into one entry without names or messages", () => {
    const json = classroomResults(bob, RESULTS);
    expect(JSON.stringify(json)).not.toContain(HIDDEN_NAME);
    expect(JSON.stringify(json)).not.toContain("SECRET");
    expect(json.tests.at(-1)).toMatchObject({ name: HIDDEN_CHECKS_NAME, status: "fail", score: 0, message: "" });
    expect(classroomResults(alice, RESULTS).tests.at(-1)).toMatchObject({ name: HIDDEN_CHECKS_NAME, status: "pass", score: 4 });
    // Without the class's setting, hidden checks stay folded.
    expect(JSON.stringify(classroomResults(bob))).not.toContain(HIDDEN_NAME);
  });

  it("lists hidden checks one by one once released", () => {
    const json = classroomResults(bob, released);
    expect(json.tests.map((t) => t.name)).not.toContain(HIDDEN_CHECKS_NAME);
    expect(json.tests.find((t) => t.name === `chat-server › ${HIDDEN_NAME}`)).toMatchObject({ status: "fail", message: HIDDEN_FEEDBACK, duration: 120 });
    // The Actions log shows the message as is: a raw control character is written out.
    expect(json.tests.find((t) => t.name === `chat-server › ${TRICKY_NAME}`)?.message).toContain('got   "\\x01PONG\\x00"');
  });

  it("marks an exercise with a problem, and the whole result, as an error", () => {
    const json = classroomResults(carol, RESULTS);
    expect(json.status).toBe("error");
    expect(json.tests[0]).toMatchObject({ name: "echo-server › echoes a line", status: "error", score: 0 });
    expect(classroomResults(broken, RESULTS)).toMatchObject({ status: "error", tests: [{ name: "grading", status: "error" }] });
  });

  it("takes the late penalty off as a last test with a negative score", () => {
    const json = classroomResults(lateDave, RESULTS);
    expect(json.tests.at(-1)).toMatchObject({ name: "late penalty", status: "fail", score: -4, message: "2 days late (10% per day late): −20%, −4 points" });
    expect(json.status).toBe("fail");
  });
});

// ---- Markdown feedback ----

describe("feedbackMarkdown", () => {
  it("gives the assignment, the total and each exercise with its points", () => {
    const md = feedbackMarkdown(alice, RESULTS);
    expect(md.split("\n")[0]).toBe("# Homework 3: \\<servers\\> & clients: feedback for alice");
    expect(md).toContain("**Total: 20 / 20 points**");
    expect(md).toContain("## Echo server (echo-server): 10 / 10 points");
    expect(md).toContain("- ✓ echoes a line: 5 / 5");
    expect(md).not.toContain("Late");
  });

  it("shows a failed visible check's failure text in a text block, control characters made visible", () => {
    const md = feedbackMarkdown(bob, RESULTS);
    expect(md).toContain(`- ✗ answers "PING" with \\<PONG\\> & a newline: 0 / 6`);
    expect(md).toContain(["  ```text", ...RAW_CONTROL_FEEDBACK.replace("\x01", "\\x01").split("\n").map((l) => `  ${l}`), "  ```"].join("\n"));
    expect(md).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F]/);
  });

  it("leaves unreleased hidden checks out but for their number and worth", () => {
    const md = feedbackMarkdown(bob, RESULTS);
    for (const secret of [HIDDEN_NAME, HIDDEN_MESSAGE, "SECRET-HIDDEN-HINT", "37"]) expect(md).not.toContain(secret);
    expect(md).toContain("1 hidden check (worth 4 points) will be shown after release.");
  });

  it("shows hidden checks, with their failure text, once released", () => {
    const md = feedbackMarkdown(bob, released);
    expect(md).toContain(`- ✗ ${HIDDEN_NAME} (hidden check): 0 / 4`);
    expect(md).toContain(HIDDEN_MESSAGE);
    expect(md).toContain("SECRET-HIDDEN-HINT");
    expect(md).not.toContain("will be shown after release");
  });

  it("shows an exercise's problem prominently", () => {
    const md = feedbackMarkdown(carol, RESULTS);
    expect(md).toContain("> **⚠ Could not be checked:** missing file carol/echo-server.ts");
    expect(md).toContain("- ○ echoes a line: 0 / 5 (not run)");
  });

  it("gives the late rule and penalty", () => {
    const md = feedbackMarkdown(lateDave, RESULTS);
    expect(md).toContain("**Total: 16 / 20 points**");
    expect(md).toContain("Late: 2 days late (10% per day late): −20%, −4 points. Before the penalty: 20 points.");
  });

  it("keeps a program's backticks from closing the text block", () => {
    const ticks = student("t", [exercise("echo-server", [check("x", "failed", 10, { feedback: "got ```\nmore" })])]);
    expect(feedbackMarkdown(ticks, RESULTS)).toContain("  ````text\n  got ```\n  more\n  ````");
  });

  it("escapes what Markdown would interpret in a check name, and only that", () => {
    const names = student("n", [exercise("echo-server", [check("*bold* `code` [link] &amp; & <b>", "passed", 10)])]);
    expect(feedbackMarkdown(names, RESULTS)).toContain("- ✓ \\*bold\\* \\`code\\` \\[link\\] \\&amp; & \\<b\\>: 10 / 10");
  });
});

// ---- writing the files ----

describe("writeReports", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes every report, atomically, and returns their paths", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "socketlings-reports-"));
    const written = await writeReports(RESULTS, dir);
    const ids = RESULTS.students.map((s) => s.id);
    const expected = [
      "grades.csv", "results.json", "junit.xml",
      ...ids.flatMap((id) => [path.join("gradescope", id, "results.json"), path.join("feedback", `${id}.md`), path.join("classroom", `${id}.json`)]),
    ].map((name) => path.join(dir, name));
    expect(written).toEqual(expected);
    expect(readFileSync(path.join(dir, "grades.csv"), "utf8")).toBe(gradesCsv(RESULTS));
    expect(JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"))).toEqual(RESULTS);
    expect(JSON.parse(readFileSync(path.join(dir, "gradescope", "dave, jr", "results.json"), "utf8")).score).toBe(16);
    expect(readFileSync(path.join(dir, "feedback", "bob.md"), "utf8")).toBe(feedbackMarkdown(bob, RESULTS));
    // No temporary file is left behind.
    expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".tmp"))).toEqual([]);
  });

  it.each(["../evil", "a/b", "..", "back\\slash", "", "Alice"])("refuses the student id %j and writes nothing", async (id) => {
    dir = mkdtempSync(path.join(os.tmpdir(), "socketlings-reports-"));
    const students = id === "Alice" ? [student("alice", []), student("Alice", [])] : [alice, student(id, [])];
    await expect(writeReports({ ...RESULTS, students }, dir)).rejects.toThrow(/cannot write reports for student/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
