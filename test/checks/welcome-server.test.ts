import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("welcome-server checks", () => {
  referenceSolutionPasses("welcome-server", 5);

  it("fail the stub at the first check, saying nothing came back and what to send", async () => {
    const { exitCode, report } = await gradeJson("welcome-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("greets a client with exactly the welcome line");
    expect(failed.message).toMatch(/\[client-1\] got\s+nothing within 1000 ms/);
    expect(failed.expected[0]).toBe('"Welcome to the server!\\n"');
    expect(failed.hint).toMatch(/followed by a newline/);
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "welcome-server/never-closes.ts",
      check: "closes the connection after the greeting",
      says: [/got\s+"Welcome to the server!\\n"/, /got\s+nothing more within 1000 ms/, /the connection to close/, /socket\.end/],
    },
    {
      fixture: "welcome-server/no-newline.py",
      check: "greets a client with exactly the welcome line",
      says: [/got\s+"Welcome to the server!" and then the connection was closed/, /first difference at byte 22: expected "\\n" \(0x0a\), got the end of the data/],
    },
    {
      fixture: "welcome-server/greets-twice.ts",
      check: "closes the connection after the greeting",
      says: [/got\s+"Welcome to the server!\\n" before the connection closed/],
    },
    {
      fixture: "welcome-server/crashes-on-reset.ts",
      check: "keeps serving after clients reset their connections",
      says: [/reset the connection \(RST\)/, /\[your program\] exited with code 1/, /ECONNRESET|EPIPE/, /socket\.on\("error"/],
    },
  ];
  knownWrongPrograms("welcome-server", knownWrong);
});
