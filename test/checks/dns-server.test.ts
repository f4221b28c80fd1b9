import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasPython, knownWrongPrograms, programArgs, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { expectNothingLeft, failureText, firstFailure, gradeJson, ROOT, runCli, type JsonReport } from "../support/run-cli.ts";

const FIRST = "answers an A query with the zone's addresses and the query's ID";
const NODE = "answers Node's resolver (c-ares) for every record type";
const DIG = "answers dig, with and without EDNS";

describe("dns-server checks", () => {
  referenceSolutionPasses("dns-server", 16);

  it("fail the stub at the first check, saying nothing came back and what a reply holds; the zone file is gone afterwards", async () => {
    const { exitCode, report } = await gradeJson("dns-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe(FIRST);
    expect(failed.transcript.join("\n")).toMatch(/\[grader\] ZONE_FILE holds \d+ records for [a-z]+\d+\.test/);
    expect(failed.transcript.join("\n")).toMatch(/\[client-1\] sent\s+query \d+: A [a-z]+\.[a-z]+\d+\.test\? \(RD set\)/);
    expect(failed.message).toMatch(/got\s+nothing within 1000 ms/);
    expect(failed.details.join("\n")).toMatch(/your program read the datagram/);
    expect(failed.expected[0]).toMatch(/^a reply with ID \d+, flags QR AA RD, NOERROR, the question echoed, then 2 answers:$/);
    expect(failed.expected[1]).toMatch(/^ {2}[a-z]+\.[a-z]+\d+\.test\. \d+ IN A \d+\.\d+\.\d+\.\d+$/);
    expect(failed.hint).toMatch(/12-byte header with QR and AA set/);
    // The stub prints the zone file's path: the grader removed its folder when grading ended.
    const read = failed.output?.lines.find((l) => l.startsWith("read "));
    const zoneFile = /from (\S+)$/.exec(read ?? "")?.[1];
    expect(zoneFile, failed.output?.lines.join("\n")).toMatch(/socketlings-zone-/);
    expect(existsSync(zoneFile!)).toBe(false);
  });

  it("write the same zone and send the same queries for the same seed, and others for another seed", async () => {
    const sent = (lines: string[]) => lines.filter((l) => /(ZONE_FILE holds|\] sent)/.test(l)).map((l) => l.replace(/\b\d{4,5}\b/g, "N"));
    const runs = await Promise.all(["7", "7", "8"].map((seed) => gradeJson("dns-server", [...programArgs("dns-server/no-aa.ts"), "--seed", seed])));
    const [first, again, other] = runs.map((run) => run.report.checks.flatMap((c) => sent(c.transcript)));
    expect(first!.length).toBeGreaterThan(3);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("skip the dig check, saying how to install dig, where dig is missing", async () => {
    const run = await runCli(["grade", "dns-server", "--solution", "--all", "--json"], { env: { PATH: "/nonexistent" } });
    const withoutDig = JSON.parse(run.stdout) as JsonReport;
    const dig = withoutDig.checks.find((c) => c.name === DIG)!;
    expect(dig.status).toBe("skipped");
    expect(JSON.stringify(dig)).toMatch(/dig is not installed \(apt-get install dnsutils/);
    expect(withoutDig.checks.filter((c) => c.status === "passed")).toHaveLength(15);
  });

  it("diagnose dns-server/replies-from-new-socket.ts at Node's resolver, then at dig, with the port it replied from", async () => {
    const fixture = "dns-server/replies-from-new-socket.ts";
    const { report } = await gradeJson("dns-server", [...programArgs(fixture), "--all"]);
    expect(report.checks.filter((c) => c.status === "failed").map((c) => c.name)).toEqual([NODE, DIG]);
    const node = failureText(report.checks.find((c) => c.name === NODE)!);
    expect(node).toMatch(/\[resolver\] resolve4\("[a-z.\d]+"\) gave error ETIMEOUT \(no reply it would accept came back in time\)/);
    expect(node).toMatch(/got its reply from port \d+/);
    expect(node).toMatch(/reply from the socket that received the query/);
    const dig = failureText(report.checks.find((c) => c.name === DIG)!);
    expect(dig).toMatch(/got no reply it would accept \(exit code 9\)/);
    expect(dig).toMatch(/communications error .* timed out/);
    expect(dig).toMatch(/got its reply from port \d+/);
    expect(expectNothingLeft(report, fixture)).toEqual([]);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "dns-server/counter-id.ts",
      check: FIRST,
      says: [/the reply's ID is 0 but the query's was \d+: a resolver drops a reply whose ID does not match/, /copy the query's ID/],
    },
    {
      fixture: "dns-server/no-aa.ts",
      check: "sets QR and AA, copies RD both ways, leaves RA clear",
      says: [/has flags qr rd: AA is clear/, /set AA \(authoritative answer, 0x0400/],
    },
    {
      fixture: "dns-server/case-sensitive.ts",
      check: "matches names in any case, and echoes the question as asked (0x20)",
      says: [/says NXDOMAIN \(RCODE 3\), expected NOERROR/, /\(spelled [a-zA-Z]+\.[a-zA-Z]+\d+\.[a-zA-Z]+\. in the file\)/, /DNS names match whatever their case/],
    },
    {
      fixture: "dns-server/lowercases-question.py",
      check: "matches names in any case, and echoes the question as asked (0x20)",
      says: [/the reply's question is not the query's byte for byte: "[a-z.\d]+" was asked as "[a-zA-Z.\d]+"/, /first difference at byte \d+/, /echo the question section exactly as it came/, /0x20/],
    },
    {
      fixture: "dns-server/txt-one-string.ts",
      check: "answers AAAA, MX, TXT and NS queries from the zone",
      says: [/the TXT data of [a-z]+\d+\.test differs from the zone's/, /IN TXT "v=spf1 mx -all [^"]+"$/m, /each becomes its own character-string/],
    },
    {
      fixture: "dns-server/hard-coded-ttl.ts",
      check: "gives each record the TTL the zone file says",
      says: [/has TTL 300, but its line in the zone file says \d+/, /line \d+: "/, /Do not hard-code one TTL/],
    },
    {
      fixture: "dns-server/naive-split.py",
      check: "reads every line of the zone file: tabs, runs of spaces, comments",
      says: [/line \d+: ".*\\t.*; /, /split on any run of whitespace/, /line\.split\(";"\)\[0\]\.split\(\)/],
    },
    {
      fixture: "dns-server/no-cname-follow.ts",
      check: "follows a CNAME: the alias, then the target's records",
      says: [/the reply has the CNAME but not the target's records after it/, /look up the CNAME's target/],
    },
    {
      fixture: "dns-server/nxdomain-for-missing-type.ts",
      check: "answers NOERROR with no records for a name without that type",
      says: [/says NXDOMAIN \(RCODE 3\), expected NOERROR \(RCODE 0\)/, /with A and AAAA records but no MX/, /gets NOERROR \(RCODE 0\) with an empty answer section/],
    },
    {
      fixture: "dns-server/nxdomain-as-noerror.py",
      check: "answers NXDOMAIN for a name that is not in the zone",
      says: [/says NOERROR \(RCODE 0\), expected NXDOMAIN \(RCODE 3\)/, /no line of the zone file has the name/, /NOERROR with no answers means something else/],
    },
    {
      fixture: "dns-server/ignores-opcode.ts",
      check: "answers NOTIMP to an opcode other than QUERY",
      says: [/opcode 2 STATUS\) says NOERROR \(RCODE 0\), expected NOTIMP \(RCODE 4\)/, /Anything other than 0 \(QUERY\) gets NOTIMP/],
    },
    {
      fixture: "dns-server/ignores-qdcount.ts",
      check: "answers FORMERR to a bad question: QDCOUNT 0 or 2, a name cut short",
      says: [/with QDCOUNT 0 \(a question follows all the same\) says NOERROR \(RCODE 0\), expected FORMERR \(RCODE 1\)/, /QDCOUNT must be 1/],
    },
    {
      fixture: "dns-server/crashes-on-short-packet.ts",
      check: "ignores a packet shorter than a header, and a response, and keeps serving",
      says: [/your program exited with code 1 after \[client-1\] sent an empty datagram/, /RangeError/, /drop it without replying/],
    },
    {
      fixture: "dns-server/answers-responses.ts",
      check: "ignores a packet shorter than a header, and a response, and keeps serving",
      says: [/your program replied to a response \(QR set, ID \d+\)/, /a packet with QR set is a response/],
    },
    {
      fixture: "dns-server/formerr-on-edns.ts",
      check: "answers a query with an EDNS OPT record, as dig sends",
      says: [/says FORMERR \(RCODE 1\), expected NOERROR/, /EDNS OPT\)/, /add an OPT record \(EDNS\) to the additional section/],
    },
    {
      fixture: "dns-server/keeps-arcount.ts",
      check: "answers a query with an EDNS OPT record, as dig sends",
      says: [/the reply is not a well-formed DNS message: the message ends inside the name of additional 1 \(at byte \d+\)/, /^0000 +[0-9a-f]{2} /m, /\[end of the message\]/, /A header copied from the query keeps the query's ARCOUNT/],
    },
    {
      fixture: "dns-server/shared-query-variable.ts",
      check: "answers 100 queries sent at once, each with its own ID and question",
      says: [/\d+ of the 100 queries sent at once got no reply/, /\[sender-\d+\] got \d+ replies with ID \d+/, /not a variable shared by every query/],
    },
    {
      fixture: "dns-server/opcode-from-whole-flags.ts",
      check: DIG,
      says: [/\+time=1: status NOTIMP, expected NOERROR/, /status: NOTIMP/, /dig sets the AD bit in its queries \(flags 0x0120/],
    },
  ];
  knownWrongPrograms("dns-server", knownWrong);

  it.skipIf(!hasPython)("run the Python fixtures without leaving __pycache__ behind", () => {
    expect(existsSync(path.join(ROOT, "test/fixtures/dns-server/__pycache__"))).toBe(false);
  });
});
