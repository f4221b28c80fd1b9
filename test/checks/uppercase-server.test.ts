import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("uppercase-server checks", () => {
  referenceSolutionPasses("uppercase-server", 10);

  it("fail the stub at the first check, saying nothing came back and what to send", async () => {
    const { exitCode, report } = await gradeJson("uppercase-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("answers each line with the line in upper case");
    expect(failed.transcript).toContain('[client-1] sent  "hello\\n"');
    expect(failed.message).toMatch(/\[client-1\] got\s+nothing within 1000 ms/);
    expect(failed.expected[0]).toBe('"HELLO\\n"');
    expect(failed.hint).toMatch(/toUpperCase\(\)/);
    expect(failed.output?.lines).toContain("received 6 bytes");
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "uppercase-server/one-recv-one-line.ts",
      check: "answers a line sent one byte at a time",
      says: [/got\s+"[A-Z ,]{1,11}\\n": the answer to a piece of the line \(\d+ bytes? of 12 bytes\), sent before the rest of the line had arrived/, /one 'data' event \(one recv\) is not one line/],
    },
    {
      fixture: "uppercase-server/decodes-each-chunk.ts",
      check: "answers a line split inside multi-byte characters",
      says: [/sent\s+"gr\\xc3"/, /a character cut between two segments came back as U\+FFFD/, /"GRÜSSE AUS KÖLN 😀\\n"/, /decodes each chunk on its own/, /setEncoding/],
    },
    {
      fixture: "uppercase-server/bytes-upper.py",
      check: "upper-cases with Unicode's default case mapping (straße → STRASSE)",
      says: [/got\s+"STRAßE\\n": only the ASCII letters a-z were upper-cased/, /"STRASSE\\n"/, /bytes\.upper\(\)/, /line\.decode\("utf-8"\)\.upper\(\)/],
    },
    {
      fixture: "uppercase-server/keeps-carriage-return.ts",
      check: 'drops a "\\r" before the "\\n"',
      says: [/sent\s+"hello\\r\\n"/, /got\s+"HELLO\\r": the "\\r" of the "\\r\\n" line end came back/, /drop a "\\r" right before the "\\n"/],
    },
    {
      fixture: "uppercase-server/shared-buffer.ts",
      check: "serves 5 clients at once, each its own lines",
      says: [/a line mixed from two clients: "(ANNA|BERT|CLEO|DORA|EMIL)" comes from \[client-\d\]'s line/, /its own buffer/],
    },
  ];
  knownWrongPrograms("uppercase-server", knownWrong);
});
