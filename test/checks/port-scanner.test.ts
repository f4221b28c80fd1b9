import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("port-scanner checks", () => {
  referenceSolutionPasses("port-scanner", 6);

  it("fail the stub at the first check: it printed no ports and connected to none", async () => {
    const { exitCode, report } = await gradeJson("port-scanner", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("finds the open ports in a short list");
    expect(failed.message).toMatch(/^your program printed no ports, and never connected to \d+, \d+, \d+, which are open$/);
    expect(failed.transcript.join("\n")).toMatch(/\[grader\] ran your program with HOST=127\.\d+\.\d+\.\d+ PORTS=\d+,\d+/);
    expect(failed.hint).toMatch(/net\.connect\(\{ host, port \}\)/);
    expect(failed.output?.lines.join("\n")).toMatch(/TODO: parse PORTS/);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "port-scanner/sequential-no-timeout.ts",
      check: "scans 1,000 ports in under 3 seconds",
      says: [/your program took more than 5\.0 s to scan 1,000 ports, so the grader stopped it/, /still waiting for \d+, which never answers/, /one port at a time/, /bounded concurrency/, /timeout/],
    },
    {
      fixture: "port-scanner/sequential-with-timeout.py",
      check: "scans 1,000 ports in under 3 seconds",
      // 8 ports that never answer, 0.5 s each: about 4 s, or the 5 s limit on a loaded machine.
      says: [/your program took (more than )?\d\.\d s to scan 1,000 ports/, /one port at a time/, /bounded concurrency/, /give every attempt a timeout/i],
    },
    {
      fixture: "port-scanner/prints-unsorted.ts",
      check: "scans ranges and lists, and prints each open port once, in ascending order",
      says: [/your program printed (\d+) before (\d+)/, /in ascending order/, /sort them as numbers/],
    },
    {
      fixture: "port-scanner/prints-duplicates.py",
      check: "scans ranges and lists, and prints each open port once, in ascending order",
      says: [/your program printed \d+, \d+ more than once/, /collect the ports in a Set/],
    },
    {
      fixture: "port-scanner/accepts-invalid-ports.ts",
      check: "rejects an invalid PORTS with a message on stderr, nothing on stdout, exit code 2",
      says: [/with PORTS="http" \(not a number\), your program exited with code 0, and printed nothing on stderr/, /exit code 2/, /parseInt\("80x"\) is 80/],
    },
    {
      fixture: "port-scanner/keeps-connections-open.ts",
      check: "closes every connection it opens",
      says: [/your program left 4 of its connections open until it ended: to \d+/, /the operating system closed them, not your program/, /socket\.destroy\(\)/],
    },
    {
      fixture: "port-scanner/unbounded-concurrency.ts",
      check: "keeps at most 500 connection attempts in flight",
      says: [/your program had (52[6-9]|5[3-9]\d|6\d\d) connections in flight at once/, /at most 500 connection attempts/, /pool of at most 500 workers/],
    },
  ];
  knownWrongPrograms("port-scanner", knownWrong);
});
