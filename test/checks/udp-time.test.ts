import { describe, expect, it } from "vitest";
import { hasPython, knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { failureText, firstFailure, gradeJson, runCli, type JsonReport } from "../support/run-cli.ts";

describe("udp-time checks", () => {
  referenceSolutionPasses("udp-time", 5);

  it("fail the stub at the first check: the datagram was read but nothing came back", async () => {
    const { exitCode, report } = await gradeJson("udp-time", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("answers a datagram with the current UTC time in ISO 8601");
    expect(failed.transcript.some((line) => /\[client-1\] sent {2}"time" to 127\.0\.0\.1:\d+/.test(line))).toBe(true);
    expect(failed.message).toMatch(/got\s+nothing within 1000 ms/);
    expect(failed.details.join("\n")).toMatch(/your program read the datagram/);
    expect(failed.hint).toMatch(/rinfo\.port/);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "udp-time/replies-to-port-9.py",
      check: "answers a datagram with the current UTC time in ISO 8601",
      says: [/your program read the datagram \(its receive queue is empty\), but no reply reached 127\.0\.0\.1:\d+/, /A fixed port reaches nobody/],
    },
    {
      fixture: "udp-time/local-time.ts",
      check: "answers a datagram with the current UTC time in ISO 8601",
      says: [/got\s+"\w{3} \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT/, /not in the form YYYY-MM-DDTHH:MM:SSZ/, /toISOString\(\)/],
    },
    {
      fixture: "udp-time/naive-isoformat.py",
      check: "answers a datagram with the current UTC time in ISO 8601",
      says: [/got\s+"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?"/, /no "Z" at the end/, /datetime\.now\(timezone\.utc\)/],
    },
    {
      fixture: "udp-time/unix-millis.ts",
      check: 'answers "unix" with the whole seconds since the epoch',
      says: [/sent\s+"unix"/, /got\s+"\d{13}"/, /that is milliseconds since the epoch/, /Math\.floor\(Date\.now\(\) \/ 1000\)/],
    },
    {
      fixture: "udp-time/trims-request.ts",
      check: 'answers anything else with the ISO time: "Unix", "unix\\n", an empty datagram, binary bytes',
      says: [/sent\s+"unix\\n"/, /got\s+"\d{10}"/, /only the exact request "unix" gets the seconds/, /without trimming/],
    },
    {
      fixture: "udp-time/time-at-start.py",
      check: "reads the clock at each request, not once",
      // Under a heavy load the check may come more than 2 s after the start: then the time is "behind".
      says: [/got the same time twice, \d+ ms apart|behind the grader's clock/, /not once when the program starts/],
    },
  ];
  knownWrongPrograms("udp-time", knownWrong);

  // Where local time is UTC (as on most graders), local time labelled "Z" looks right: a zone far from UTC shows it.
  it.skipIf(!hasPython)(`diagnose udp-time/local-time-labelled-utc.py with TZ=Asia/Kathmandu${hasPython ? "" : " (skipped: python3 is not installed)"}`, async () => {
    const run = await runCli(["grade", "udp-time", "--json", "--cmd", "python3 test/fixtures/udp-time/local-time-labelled-utc.py"], { env: { TZ: "Asia/Kathmandu" } });
    expect(run.exitCode, run.stderr).toBe(1);
    const failed = firstFailure(JSON.parse(run.stdout) as JsonReport);
    expect(failed.name).toBe("answers a datagram with the current UTC time in ISO 8601");
    expect(failureText(failed)).toMatch(/that is 5 h 45 min ahead of the grader's clock: local time labelled as UTC\?/);
    expect(failed.hint).toMatch(/datetime\.now\(timezone\.utc\)/);
  });
});
