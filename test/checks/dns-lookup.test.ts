import { describe, expect, it } from "vitest";
import { byteOrder, compareKeys, numericKey, recordLine } from "../../grader/checks/dns-lookup/expected-output.ts";
import { ZoneMaker } from "../../grader/checks/dns-lookup/random-zone.ts";
import { SeededRandom } from "../../grader/harness/seeded-random.ts";
import { formatIpv6, parseIpv6 } from "../../grader/protocols/ipv6-text.ts";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("dns-lookup checks", () => {
  referenceSolutionPasses("dns-lookup", 8);

  it("pass the reference solution with another seed, and time how long it takes to give up", async () => {
    const { exitCode, report } = await gradeJson("dns-lookup", ["--solution", "--all", "--seed", "dns-7"]);
    expect(report.checks.filter((c) => c.status !== "passed").map((c) => c.name)).toEqual([]);
    expect(exitCode).toBe(0);
    const silent = report.checks.find((c) => c.name.startsWith("gives up"))!;
    const took = Number(/exited with code 1 after (\d+) ms/.exec(silent.transcript.join("\n"))?.[1]);
    // timeout 500 ms and 2 tries: about 1.5-2 s of silence, well inside the contract's 5 s.
    expect(took).toBeGreaterThan(900);
    expect(took).toBeLessThan(4500);
  });

  it("fail the stub at the first check: it never queried the grader's DNS server", async () => {
    const { exitCode, report } = await gradeJson("dns-lookup", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("prints the A and AAAA records of a name, one per line, in byte order");
    expect(failed.message).toMatch(/^your program never queried the grader's DNS server at 127\.0\.0\.1:\d+$/);
    expect(failed.details.join("\n")).toMatch(/its stderr: "error: TODO: look up the A records of [a-z0-9]{4}\.lab-\d+\.test"/);
    expect(failed.expected.join("\n")).toMatch(/^a query for A [a-z0-9]{4}\.lab-\d+\.test sent to 127\.0\.0\.1:\d+ \(DNS_SERVER\)$/);
    expect(failed.hint).toMatch(/resolver\.setServers\(\[process\.env\.DNS_SERVER\]\); then resolver\.resolve4\(name\)/);
    expect(failed.hint).toMatch(/Not dns\.lookup\(\)/);
    expect(failed.transcript.join("\n")).toMatch(/\[grader\] ran your program A [a-z0-9]{4}\.lab-\d+\.test with DNS_SERVER=127\.0\.0\.1:\d+/);
    expect(report.durationMs).toBeLessThan(5000);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "dns-lookup/system-resolver.ts",
      check: "prints the A and AAAA records of a name, one per line, in byte order",
      says: [/^your program never queried the grader's DNS server at 127\.0\.0\.1:\d+$/m, /getaddrinfo/, /dns\.lookup\(\) asks the operating system's resolver/, /not DNS_SERVER/, /Resolver with setServers/],
    },
    {
      fixture: "dns-lookup/unsorted.ts",
      check: "prints the A and AAAA records of a name, one per line, in byte order",
      says: [/for A \S+, your program printed the records in the order the server sent them, not in byte order: "[\d.]+" before "[\d.]+"/, /lines\.sort\(\)/, /"10\.0\.0\.10" comes before "10\.0\.0\.9"/],
    },
    {
      fixture: "dns-lookup/sorts-numerically.ts",
      check: "prints the A and AAAA records of a name, one per line, in byte order",
      says: [/for A \S+, your program sorted the records as numbers, not as text in byte order: "10\.\d+\.\d+\.\d" before "10\.\d+\.\d+\.1\d+"/, /lines\.sort\(\)/, /sorted\(lines\) in Python/],
    },
    {
      fixture: "dns-lookup/trailing-dot.ts",
      check: "follows a CNAME for A, and prints the alias's target for CNAME",
      says: [/for CNAME \S+, your program printed the name with a trailing dot: "[a-z0-9]{4}\.lab-\d+\.test\."/, /without the trailing dot/],
    },
    {
      fixture: "dns-lookup/answers-with-cname.py",
      check: "follows a CNAME for A, and prints the alias's target for CNAME",
      says: [/got a query for A \S+ from 127\.0\.0\.1:\d+: answered 4 records \(1 CNAME, 3 A\)/, /your program printed "[a-z0-9]{4}\.lab-\d+\.test", the target of the CNAME record, among the A records/, /Print only the answers whose TYPE is the one you asked for \(1 for A\)/],
    },
    {
      fixture: "dns-lookup/txt-joined-with-space.ts",
      check: 'prints MX records as "<priority> <exchange>" and TXT records as their strings joined, TYPE in any case',
      says: [/for TXT \S+, your program printed "v=DKIM1; [^"]+ [^"]+" for a TXT record of 3 strings/, /join them with nothing between, strings\.join\(""\)/],
    },
    {
      fixture: "dns-lookup/type-case-sensitive.ts",
      check: 'prints MX records as "<priority> <exchange>" and TXT records as their strings joined, TYPE in any case',
      says: [/for mx \S+, your program exited with code 2, a usage error, without asking the grader's DNS server anything/, /TYPE is case-insensitive: "mx" means MX/],
    },
    {
      fixture: "dns-lookup/soa-minimum.ts",
      check: "prints NS, SOA and SRV records",
      says: [/for SOA \S+, line 1 of your output is "[^"]+ undefined", not "[^"]+ \d+"/, /a field name is wrong/, /minttl/],
    },
    {
      fixture: "dns-lookup/ptr-not-reversed.ts",
      check: "looks up the PTR records of an IPv4 and an IPv6 address",
      says: [/your program asked for PTR records of (10\.\d+\.\d+\.\d+), but the question was PTR \d+\.\d+\.\d+\.10\.in-addr\.arpa/, /reverse order under in-addr\.arpa/, /resolver\.reverse\(ip\)/],
    },
    {
      fixture: "dns-lookup/nxdomain-exit-0.ts",
      check: 'fails with "error: <reason>" and exit code 1 for a name that does not exist or has no records of the type',
      says: [/got a query for A \S+ from 127\.0\.0\.1:\d+: NXDOMAIN/, /for A \S+, your program exited with code 0, but \S+ does not exist \(the grader's DNS server answered NXDOMAIN\)/, /ENOTFOUND/, /exit with code 1/],
    },
    {
      fixture: "dns-lookup/no-timeout.ts",
      check: 'gives up with "error: <reason>" and exit code 1 within 5 s when the server never answers',
      says: [/no reply \(this server never answers\)/, /your program was still waiting for an answer after 6500 ms: it never gave up on a server that does not answer/, /queries, at \+0 ms, \+\d+ ms/, /new Resolver\(\{ timeout: 500, tries: 2 \}\)/, /resolver\.cancel\(\)/],
    },
    {
      fixture: "dns-lookup/no-timeout.py",
      check: 'gives up with "error: <reason>" and exit code 1 within 5 s when the server never answers',
      says: [/got one query, at \+0 ms, and answered none/, /your program was still waiting for an answer after 6500 ms/, /sock\.settimeout\(2\) and catch socket\.timeout/],
    },
    {
      fixture: "dns-lookup/usage-exit-1.ts",
      check: 'rejects bad arguments and a bad DNS_SERVER with "error: <reason>" and exit code 2',
      says: [/^with no arguments, your program exited with code 1$/m, /exit with code 2 \(process\.exitCode = 2; sys\.exit\(2\) in Python\)/, /Exit code 1 is for failed lookups/],
    },
  ];
  knownWrongPrograms("dns-lookup", knownWrong);
});

describe("dns-lookup's random zones", () => {
  const seeds = Array.from({ length: 200 }, (_, i) => new SeededRandom(`zone-${i}`));

  it("put IPv4 addresses where byte order and numeric order disagree, and serve them in neither", () => {
    for (const random of seeds) {
      const lab = new ZoneMaker(random);
      const name = lab.host();
      lab.add(name, lab.ipv4s(4).map((address) => ({ type: "A" as const, address })));
      const served = lab.records.map((rr) => recordLine(rr.data));
      const numeric = [...lab.records].sort((a, b) => compareKeys(numericKey(a.data)!, numericKey(b.data)!)).map((rr) => recordLine(rr.data));
      expect(byteOrder(served)).not.toEqual(numeric);
      expect(served).not.toEqual(byteOrder(served));
      expect(served).not.toEqual(numeric);
      expect(name).toMatch(/^[a-z][a-z0-9]{3}\.lab-\d{1,2}\.test$/);
    }
  });

  it("write IPv6 addresses in RFC 5952 form, with a single zero group left alone", () => {
    for (const random of seeds) {
      const addresses = new ZoneMaker(random).ipv6s();
      for (const address of addresses) expect(formatIpv6(parseIpv6(address)!)).toBe(address);
      expect(addresses[2]).toMatch(/^2001:db8:[0-9a-f]+:0:[0-9a-f]+::[0-9a-f]+$/);
      expect(byteOrder(addresses)[0]).toBe(addresses[2]);
    }
  });

  it("give MX preferences whose text order is not their numeric order, and split TXT values without empty pieces", () => {
    for (const random of seeds) {
      const lab = new ZoneMaker(random);
      const preferences = lab.preferences();
      expect(byteOrder(preferences.map(String))[0]).toBe(String(preferences[1]));
      const text = `v=DKIM1; k=rsa; p=${lab.key(48)}`;
      const pieces = lab.split(text, 3);
      expect(pieces.join("")).toBe(text);
      expect(pieces.every((piece) => piece.length > 0 && !piece.startsWith(" ") && !piece.endsWith(" "))).toBe(true);
    }
  });
});
