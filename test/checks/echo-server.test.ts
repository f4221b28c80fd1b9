import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("echo-server checks", () => {
  referenceSolutionPasses("echo-server", 8);

  it("fail the stub at the first check, saying nothing came back", async () => {
    const { exitCode, report } = await gradeJson("echo-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("echoes a short message");
    expect(failed.transcript).toContain('[client-1] sent  "hello\\n"');
    expect(failed.message).toMatch(/got\s+nothing within 1000 ms/);
    expect(failed.output?.lines).toContain("received 6 bytes");
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "echo-server/sequential-accept.py",
      check: "a connected, silent client does not delay another",
      says: [/\[client-2\] got its answer only after \[client-1\] disconnected/, /sequential accept loop/, /thread per client or selectors/],
    },
    {
      fixture: "echo-server/string-roundtrip.ts",
      check: "echoes every byte value unchanged (binary-safe)",
      says: [/first difference at byte 128: expected "\\x80" \(0x80\), got "\\xef" \(0xef\)/, /U\+FFFD/],
    },
    {
      fixture: "echo-server/ignores-half-close.ts",
      check: "finishes echoing and closes when the client half-closes",
      says: [/closed its sending side \(half-close\)/, /nothing more within 1000 ms/, /the connection to close/, /'end'/],
    },
    {
      fixture: "echo-server/closes-after-first-chunk.ts",
      check: "echoes several messages on one connection",
      says: [/got\s+"one\\n"/, /the connection was closed by your program/, /not just the first/],
    },
    {
      fixture: "echo-server/crashes-on-reset.ts",
      check: "keeps serving after a client resets its connection",
      says: [/reset the connection \(RST\)/, /\[your program\] exited with code 1/, /socket\.on\('error'/],
    },
  ];
  knownWrongPrograms("echo-server", knownWrong);
});
