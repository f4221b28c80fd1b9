import { describe, expect, it } from "vitest";
import { toJsonReport } from "../../grader/report/json-report.ts";
import type { ExerciseResult } from "../../grader/report/results.ts";

const result: ExerciseResult = {
  exerciseId: "echo-server",
  program: "exercises/04-sockets/echo-server.ts",
  passed: false,
  durationMs: 2345,
  checks: [
    { name: "echoes a short message", status: "passed", durationMs: 12, transcript: ['[client-1] sent  "hi\\n"', '[client-1] got   "hi\\n"'] },
    {
      name: "echoes every byte value unchanged (binary-safe)",
      status: "failed",
      durationMs: 1003,
      transcript: ["[client-1] sent  256 bytes", "[client-1] got   256 bytes that differ"],
      failure: {
        message: "[client-1] got   256 bytes that differ",
        details: ["detail"],
        expected: ["the same 256 bytes", 'first difference at byte 128: expected "\\x80" (0x80), got "\\xef" (0xef)'],
        hint: "write the Buffer back as it came.",
        output: { lines: ["received 256 bytes"], totalBytes: 19, complete: false },
      },
    },
    { name: "keeps serving after a reset", status: "skipped", durationMs: 0, transcript: [], note: "an earlier check failed" },
    { name: "grader broke", status: "failed", durationMs: 5, transcript: [], failure: { message: "the grader itself failed", details: [], expected: [], internal: true } },
  ],
};

describe("toJsonReport", () => {
  it("names every field the same way for every check, with null or [] where there is nothing", () => {
    expect(toJsonReport(result)).toEqual({
      exercise: "echo-server",
      program: "exercises/04-sockets/echo-server.ts",
      passed: false,
      durationMs: 2345,
      checks: [
        {
          name: "echoes a short message",
          status: "passed",
          durationMs: 12,
          message: null,
          hint: null,
          details: [],
          expected: [],
          transcript: ['[client-1] sent  "hi\\n"', '[client-1] got   "hi\\n"'],
          output: null,
          internal: false,
        },
        {
          name: "echoes every byte value unchanged (binary-safe)",
          status: "failed",
          durationMs: 1003,
          message: "[client-1] got   256 bytes that differ",
          hint: "write the Buffer back as it came.",
          details: ["detail"],
          expected: ["the same 256 bytes", 'first difference at byte 128: expected "\\x80" (0x80), got "\\xef" (0xef)'],
          transcript: ["[client-1] sent  256 bytes", "[client-1] got   256 bytes that differ"],
          output: { lines: ["received 256 bytes"], totalBytes: 19, complete: false },
          internal: false,
        },
        {
          name: "keeps serving after a reset",
          status: "skipped",
          durationMs: 0,
          message: "an earlier check failed",
          hint: null,
          details: [],
          expected: [],
          transcript: [],
          output: null,
          internal: false,
        },
        {
          name: "grader broke",
          status: "failed",
          durationMs: 5,
          message: "the grader itself failed",
          hint: null,
          details: [],
          expected: [],
          transcript: [],
          output: null,
          internal: true,
        },
      ],
    });
  });

  it("adds internalError only when the check file itself broke", () => {
    expect(toJsonReport(result)).not.toHaveProperty("internalError");
    expect(toJsonReport({ ...result, checks: [], internalError: "SyntaxError: x" })).toMatchObject({ internalError: "SyntaxError: x", checks: [] });
  });

  it("survives a round trip through JSON unchanged", () => {
    const report = toJsonReport(result);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
