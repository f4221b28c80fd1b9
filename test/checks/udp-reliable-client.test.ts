import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("udp-reliable-client checks", () => {
  referenceSolutionPasses("udp-reliable-client", 4);

  it("fail the stub at the first check: it sent nothing", async () => {
    const { exitCode, report } = await gradeJson("udp-reliable-client", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("sends each message and prints the replies, in order");
    expect(failed.message).toMatch(/^your program sent nothing to the grader's server at 127\.0\.0\.1:\d+$/);
    expect(failed.expected.join("\n")).toMatch(/"0 hello" to 127\.0\.0\.1:\d+/);
    expect(failed.hint).toMatch(/process\.argv\.slice\(2\)/);
    expect(failed.transcript.join("\n")).toMatch(/\[your program\] exited with code 1/);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "udp-reliable-client/never-retransmits.ts",
      check: "retransmits after 200 ms when a request or its reply is lost",
      says: [/\[grader's server\] got\s+"0 hello" at \+0 ms \(message 0, try 1\): dropped it/, /your program sent "0 hello" once and never again, while the grader's server dropped it/, /still running after 3000 ms/, /send the same datagram again/],
    },
    {
      fixture: "udp-reliable-client/stale-replies.ts",
      check: "ignores a duplicate reply that comes after the client moved on",
      says: [/line 2 of your output is "[^"]+", the reply to message 0, not to message 1/, /came again while your program waited for message 1/, /check that its number is i/],
    },
    {
      fixture: "udp-reliable-client/gives-up-after-one-try.ts",
      check: "retransmits after 200 ms when a request or its reply is lost",
      says: [/your program gave up on message 0 after 1 try/, /dropped the request/, /give up only after 10 tries/],
    },
    {
      fixture: "udp-reliable-client/keeps-retransmitting.ts",
      check: "retransmits after 200 ms when a request or its reply is lost",
      says: [/sent message 0 again at \+\d+ ms, \d+ ms after the grader's server had replied "0 /, /clearTimeout/],
    },
    {
      fixture: "udp-reliable-client/retransmits-after-1s.py",
      check: "retransmits after 200 ms when a request or its reply is lost",
      says: [/sent "0 hello" \(message 0, try 2\) 1,0\d\d ms after the previous try/, /a retransmission 200 ms after the previous try/, /sock\.settimeout\(0\.2\)/],
    },
  ];
  knownWrongPrograms("udp-reliable-client", knownWrong);
});
