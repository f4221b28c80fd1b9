import { describe, expect, it } from "vitest";
import { paint } from "../../grader/report/colors.ts";
import { formatCheck, formatSummary } from "../../grader/report/failure-text.ts";
import type { CheckResult, ExerciseResult } from "../../grader/report/results.ts";

const plain = paint(false);

const failed = (transcript: string[], failure: Partial<NonNullable<CheckResult["failure"]>>): CheckResult => ({
  name: "echoes a short message",
  status: "failed",
  durationMs: 1004,
  transcript,
  failure: { message: "", details: [], expected: [], ...failure },
});

const SHORT_TRANSCRIPT = [
  "[grader] started exercises/04-sockets/echo-server.ts with PORT=4000",
  "[client-1] connected to 127.0.0.1:4000 (local port 51000)",
  '[client-1] sent  "hello\\n"',
  "[client-1] got   nothing within 1000 ms",
];

describe("formatCheck", () => {
  it("gives a passed check one line with its time", () => {
    const check: CheckResult = { name: "greets", status: "passed", durationMs: 12, transcript: ["[client-1] got   \"hi\\n\""] };
    expect(formatCheck("welcome-server", check, plain)).toBe("✓ welcome-server › greets (12 ms)");
    expect(formatCheck("welcome-server", check, paint(true))).toBe("\x1b[32m✓\x1b[39m welcome-server › greets \x1b[2m(12 ms)\x1b[22m");
  });

  it("gives a skipped check one line saying why it did not run", () => {
    const check: CheckResult = { name: "greets", status: "skipped", durationMs: 0, transcript: [], note: "an earlier check failed" };
    expect(formatCheck("welcome-server", check, plain)).toBe("○ welcome-server › greets (not run: an earlier check failed)");
    expect(formatCheck("welcome-server", { ...check, note: undefined }, plain)).toBe("○ welcome-server › greets (not run: skipped)");
  });

  it("shows a failure as transcript, details, expected, hint and output, in that order", () => {
    const check = failed(SHORT_TRANSCRIPT, {
      message: "[client-1] got   nothing within 1000 ms",
      details: ["your program is still running"],
      expected: ['"hello\\n"', "  (the same bytes, echoed back)"],
      hint: "write every chunk back with socket.write(chunk).",
      output: { lines: ["echo-server listening on 127.0.0.1:4000", "received 6 bytes"], totalBytes: 57, complete: true },
    });
    expect(formatCheck("echo-server", check, plain)).toBe(
      [
        "✗ echo-server › echoes a short message",
        "  [grader] started exercises/04-sockets/echo-server.ts with PORT=4000",
        "  [client-1] connected to 127.0.0.1:4000 (local port 51000)",
        '  [client-1] sent  "hello\\n"',
        "  [client-1] got   nothing within 1000 ms",
        "  your program is still running",
        '  expected "hello\\n"',
        "    (the same bytes, echoed back)",
        "  hint: write every chunk back with socket.write(chunk).",
        "  your program printed:",
        "    │ echo-server listening on 127.0.0.1:4000",
        "    │ received 6 bytes",
      ].join("\n"),
    );
  });

  it("adds the message after the transcript when it is not already its last line", () => {
    const check = failed(SHORT_TRANSCRIPT.slice(0, 3), { message: "your program did not listen on 127.0.0.1:4000 within 5000 ms" });
    expect(formatCheck("echo-server", check, plain).split("\n").slice(-2)).toEqual(['  [client-1] sent  "hello\\n"', "  your program did not listen on 127.0.0.1:4000 within 5000 ms"]);
  });

  it("leaves out what the failure does not have", () => {
    const check = failed(["[client-1] got   \"x\""], { message: "[client-1] got   \"x\"" });
    expect(formatCheck("echo-server", check, plain)).toBe('✗ echo-server › echoes a short message\n  [client-1] got   "x"');
  });

  it("says how much a long output was when it shows only part of it", () => {
    const lines = ["line 96", "line 97", "line 98", "line 99", "line 100"];
    const check = failed([], { message: "[client-1] got   nothing within 1000 ms", output: { lines, totalBytes: 123_456, complete: false } });
    expect(formatCheck("echo-server", check, plain).split("\n").slice(2)).toEqual([
      "  your program printed (123,456 bytes in all; the end, or around its error):",
      ...lines.map((l) => `    │ ${l}`),
    ]);
  });

  it("marks a failure of the grader itself in red when colour is on", () => {
    const check = failed([], { message: "the grader itself failed (a bug in socketlings, not in your program)", internal: true, details: ["TypeError: boom"] });
    expect(formatCheck("echo-server", check, paint(true)).split("\n").slice(1)).toEqual([
      "  \x1b[31mthe grader itself failed (a bug in socketlings, not in your program)\x1b[39m",
      "  \x1b[2mTypeError: boom\x1b[22m",
    ]);
  });

  describe("a long transcript", () => {
    // 10 clients connect, then each sends 5 lines; client-7 is the one that fails.
    const clients = Array.from({ length: 10 }, (_, i) => `client-${i + 1}`);
    const transcript = [
      "[grader] started exercises/04-sockets/echo-server.ts with PORT=4000",
      ...clients.map((c) => `[${c}] connected to 127.0.0.1:4000`),
      ...[0, 1, 2, 3, 4].flatMap((round) => clients.map((c) => `[${c}] sent  "round ${round}\\n"`)),
      "[client-7] got   nothing within 1000 ms",
    ];

    it("is cut to the failing client's lines and the grader's, saying how many were hidden", () => {
      expect(transcript).toHaveLength(62);
      const text = formatCheck("echo-server", failed(transcript, { message: "[client-7] got   nothing within 1000 ms" }), plain);
      expect(text.split("\n")).toEqual([
        "✗ echo-server › echoes a short message",
        "  (54 lines of other clients or earlier hidden)",
        "  [grader] started exercises/04-sockets/echo-server.ts with PORT=4000",
        "  [client-7] connected to 127.0.0.1:4000",
        ...[0, 1, 2, 3, 4].map((round) => `  [client-7] sent  "round ${round}\\n"`),
        "  [client-7] got   nothing within 1000 ms",
      ]);
    });

    it("keeps what the program said among the failing client's lines", () => {
      const withExit = [...transcript.slice(0, -1), "[your program] exited with code 1", "[client-7] the connection was reset by your program"];
      const text = formatCheck("echo-server", failed(withExit, { message: "[client-7] the connection was reset by your program" }), plain);
      expect(text.split("\n").slice(-2)).toEqual(["  [your program] exited with code 1", "  [client-7] the connection was reset by your program"]);
      expect(text).toContain("(54 lines of other clients or earlier hidden)");
    });

    it("does not mistake client-70 for client-7", () => {
      const text = formatCheck("echo-server", failed([...transcript, "[client-70] sent  \"x\""], { message: "[client-7] got   nothing within 1000 ms" }), plain);
      expect(text).not.toContain("client-70");
    });

    it("shows only the last lines of the failing client when it has many", () => {
      const chatty = [...Array.from({ length: 30 }, (_, i) => `[client-2] sent  "${i}"`), "[client-2] got   nothing within 1000 ms"];
      const lines = formatCheck("echo-server", failed(chatty, { message: "[client-2] got   nothing within 1000 ms" }), plain).split("\n");
      expect(lines[1]).toBe("  (17 lines of other clients or earlier hidden)");
      expect(lines.slice(2)).toEqual(chatty.slice(-14).map((l) => `  ${l}`));
    });

    it("is cut to its last lines when the failure names no client", () => {
      const lines = formatCheck("echo-server", failed(transcript, { message: "your program exited with code 1" }), plain).split("\n");
      expect(lines[1]).toBe("  (48 earlier lines hidden)");
      expect(lines.slice(2, -1)).toEqual(transcript.slice(-14).map((l) => `  ${l}`));
      expect(lines.at(-1)).toBe("  your program exited with code 1");
    });
  });
});

describe("formatSummary", () => {
  const result = (over: Partial<ExerciseResult>): ExerciseResult => ({ exerciseId: "echo-server", program: "exercises/04-sockets/echo-server.ts", passed: false, checks: [], durationMs: 1234, ...over });
  const check = (status: CheckResult["status"]): CheckResult => ({ name: status, status, durationMs: 1, transcript: [] });

  it("counts the checks and gives the time when all pass", () => {
    expect(formatSummary(result({ passed: true, checks: [check("passed"), check("passed")] }), plain)).toBe("echo-server: all 2 checks passed in 1.2 s");
  });

  it("counts the passed checks and says what to do next when one fails", () => {
    expect(formatSummary(result({ checks: [check("passed"), check("failed"), check("skipped")] }), plain)).toBe(
      "echo-server: 1 of 3 checks passed. Fix the first failure above and grade again; `npx socketlings hint echo-server` gives a hint.",
    );
  });

  it("says the grader itself failed, as a bug, with the error below", () => {
    expect(formatSummary(result({ internalError: "SyntaxError: Unexpected token\n    at echo-server.check.ts:3:1" }), plain)).toBe(
      "the grader itself failed on echo-server (a bug in socketlings, not in your program):\nSyntaxError: Unexpected token\n    at echo-server.check.ts:3:1",
    );
  });
});
