import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("word-info checks", () => {
  referenceSolutionPasses("word-info", 8);

  it("fail the stub at the first check, saying nothing came back and what to send", async () => {
    const { exitCode, report } = await gradeJson("word-info", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("answers a word with its length and first character");
    expect(failed.transcript).toContain('[client-1] sent  "hello\\n"');
    expect(failed.message).toMatch(/\[client-1\] got\s+nothing within 1000 ms/);
    expect(failed.expected[0]).toBe('"5 h\\n"');
    expect(failed.hint).toMatch(/"<n> <c>\\n"/);
    expect(failed.output?.lines).toContain("received 6 bytes");
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "word-info/shared-buffer.ts",
      check: "serves four clients sending words at once, each its own answers in order",
      says: [/\[client-\d\] got\s+"\d+ [a-d]\\n": the answer to a word mixed from two clients: "[a-d]" begins the words of \[client-\d\]/, /its own buffer/, /never at the top of the file/],
    },
    {
      fixture: "word-info/utf16-length.ts",
      check: "counts characters (code points), not bytes or UTF-16 units",
      says: [/sent\s+"😀\\n"/, /got\s+"2 \\xef\\xbf\\xbd\\n": 2 is the number of UTF-16 units of "😀" \(JavaScript's \.length\), not of its characters \(1\)/, /"1 😀\\n"/, /\[\.\.\.text\]\.length/],
    },
    {
      fixture: "word-info/byte-count.py",
      check: "counts characters (code points), not bytes or UTF-16 units",
      says: [/got\s+"6 h\\n": 6 is the number of bytes of "héllo" in UTF-8, not of its characters \(5\)/, /len\(line\.decode\("utf-8"\)\)/],
    },
    {
      fixture: "word-info/sequential-accept.py",
      check: "serves four clients sending words at once, each its own answers in order",
      says: [/got its answer only after \[client-\d\](, \[client-\d\])* disconnected/, /sequential accept loop/],
    },
  ];
  knownWrongPrograms("word-info", knownWrong);
});
