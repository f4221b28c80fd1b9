import { describe, expect, it } from "vitest";
import { hasPython, knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("udp-calculator checks", () => {
  referenceSolutionPasses("udp-calculator", 10);

  it("fail the stub at the first check: the datagram was read but nothing came back", async () => {
    const { exitCode, report } = await gradeJson("udp-calculator", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe('answers "5 + 6" with "11"');
    expect(failed.message).toMatch(/got\s+nothing within 1000 ms/);
    expect(failed.details.join("\n")).toMatch(/your program read the datagram/);
    expect(failed.hint).toMatch(/rinfo\.port/);
  });

  it.skipIf(!hasPython)(`give the same grades for the same seed${hasPython ? "" : " (skipped: python3 is not installed)"}`, async () => {
    const first = await gradeJson("udp-calculator", ["--cmd", "python3 test/fixtures/udp-calculator/float-format.py", "--all", "--seed", "7"]);
    const second = await gradeJson("udp-calculator", ["--cmd", "python3 test/fixtures/udp-calculator/float-format.py", "--all", "--seed", "7"]);
    // Ports differ and concurrent clients interleave differently; what was sent and the grades do not.
    const sent = (lines: string[]) => lines.filter((l) => l.includes("sent")).map((l) => l.replace(/\d{4,5}/g, "N")).sort();
    expect(second.report.checks.map((c) => [c.name, c.status, sent(c.transcript)])).toEqual(first.report.checks.map((c) => [c.name, c.status, sent(c.transcript)]));
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "udp-calculator/fixed-port.py",
      check: 'answers "5 + 6" with "11"',
      says: [/your program read the datagram \(its receive queue is empty\), but no reply reached 127\.0\.0\.1:\d+/, /A fixed port reaches nobody/],
    },
    {
      fixture: "udp-calculator/dies-on-division-by-zero.ts",
      check: 'answers division by zero with "error: division by zero" and keeps serving',
      says: [/sent\s+"1 \/ 0"/, /\[your program\] exited with code 1/, /Error/],
    },
    {
      fixture: "udp-calculator/float-format.py",
      check: 'answers "5 + 6" with "11"',
      says: [/got\s+"11\.0"/, /first difference|"11"/, /int\(x\) when x\.is_integer\(\)/],
    },
    {
      fixture: "udp-calculator/infix-only.ts",
      check: "computes every operator in both syntaxes",
      says: [/sent\s+"\(\+, 5, 6\)"/, /the tuple syntax/],
    },
    {
      fixture: "udp-calculator/no-trim.ts",
      check: "allows any spacing, and a trailing newline",
      says: [/trim before parsing/],
    },
  ];
  knownWrongPrograms("udp-calculator", knownWrong);
});
