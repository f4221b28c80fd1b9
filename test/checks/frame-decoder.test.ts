import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

describe("frame-decoder checks", () => {
  referenceSolutionPasses("frame-decoder", 21);

  it("fail the stub at the first check, saying nothing came back and what to do", async () => {
    const { exitCode, report } = await gradeJson("frame-decoder", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("eth: names an ARP frame's MAC addresses, source first, then type 0x0806");
    expect(failed.transcript.join("\n")).toMatch(/\[client-1\] sent\s+"[0-9a-f]+\\n" \(a frame of \d+ bytes: ARP \(ethertype 0x0806\)\)/);
    expect(failed.message).toMatch(/got\s+nothing within 1000 ms/);
    expect(failed.expected[0]).toMatch(/^"eth ([0-9a-f]{2}:){5}[0-9a-f]{2} > ([0-9a-f]{2}:){5}[0-9a-f]{2} \| type 0x0806"$/);
    expect(failed.hint).toMatch(/cut it at "\\n"/);
    expect(failed.output?.lines.some((l) => /^received \d+ bytes$/.test(l))).toBe(true);
  });

  it("send the same lines for the same seed, and other lines for another", async () => {
    const sent = (lines: string[]) => lines.filter((l) => /\] (sent| {2}line)/.test(l));
    const runs = await Promise.all(["7", "7", "8"].map((seed) => gradeJson("frame-decoder", ["--solution", "--all", "--seed", seed])));
    const [first, again, other] = runs.map((run) => run.report.checks.map((c) => sent(c.transcript)));
    expect(first!.flat().length).toBeGreaterThan(300);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "frame-decoder/ignores-ihl.ts",
      check: "IPv4 options: the next header starts at IHL × 4, not at 20",
      says: [/IPv4 with \d+ bytes of options \(IHL \d+\)/, /the (tcp|udp|icmp) layer differs/, /IHL \(the low 4 bits of byte 0\) is \d+/, /not 20/],
    },
    {
      fixture: "frame-decoder/ignores-data-offset.ts",
      check: "TCP options: the payload starts at the data offset × 4, not at 20",
      says: [/TCP [A-Z,]+ with \d+ bytes of options \(data offset \d+\)/, /the payload layer differs/, /data offset \(the high 4 bits of byte 12\) is \d+/],
    },
    {
      fixture: "frame-decoder/padding-as-payload.ts",
      check: "padding: bytes after the IP packet are not payload",
      says: [/\d+ bytes of Ethernet padding after the IP packet/, /the payload layer differs: expected "payload 0", got "payload 6"/, /IPv4 total length \(bytes 2-3/],
    },
    {
      fixture: "frame-decoder/exploded-ipv6.py",
      check: "ipv6: names the addresses in RFC 5952 form and the hop limit",
      says: [/got\s+"eth .* \| ipv6 fe80:0000:0000:0000:1a2b:3c4d:5e6f:0007 > ff02:0000/, /^"eth .* \| ipv6 fe80::1a2b:3c4d:5e6f:7 > ff02::fb hop=255/m, /keeps leading zeros/, /not \.exploded/],
    },
    {
      fixture: "frame-decoder/ipv6-first-zero-run.ts",
      check: "ipv6: compresses the longest zero run (the first on a tie), never a lone zero",
      says: [/got "ipv6 2001:db8::1:0:0:1 > 2001::1:0:0:0:1/, /compresses a shorter run of zero groups: "::" must replace the longest run \(3 groups, from group 5\)/],
    },
    {
      fixture: "frame-decoder/crashes-on-bad-line.ts",
      check: "not hex: answers error: <reason> and keeps the connection open",
      says: [/sent\s+"hello\\n"/, /your program exited with code 1 after \[client-1\] sent the word "hello"/, /RangeError/, /must not end the connection, nor your program/],
    },
    {
      fixture: "frame-decoder/closes-on-bad-line.ts",
      check: "not hex: answers error: <reason> and keeps the connection open",
      says: [/got\s+"error: not hex\\n"/, /the connection was closed by your program/, /the connection to stay open for the next line/, /must not end the connection/],
    },
    {
      fixture: "frame-decoder/lenient-hex.ts",
      check: "not hex: answers error: <reason> and keeps the connection open",
      says: [/a whole frame followed by one more hex digit/, /got\s+"eth /, /"error: <reason>"/, /Buffer\.from\(line, "hex"\) does not check/],
    },
    {
      fixture: "frame-decoder/chunk-is-a-line.ts",
      check: "framing: a line that arrives byte by byte, and lines split anywhere",
      says: [/one byte per write, 1 ms apart/, /got\s+"error: not hex"/, /one 'data' event \(one recv\) may hold part of a line/],
    },
    {
      fixture: "frame-decoder/keeps-cr.ts",
      check: "framing: drops the \\r of a \\r\\n line end",
      says: [/sent\s+"[0-9a-f]+\\r\\n"/, /got\s+"error: not hex"/, /drop a "\\r" right before the "\\n"/],
    },
    {
      fixture: "frame-decoder/shared-buffer.ts",
      check: "two clients: each one's partial line stays its own",
      says: [/\[client-1\] sent\s+the first \d+ bytes/, /\[client-2\] got/, /its own buffer of unfinished lines/],
    },
  ];
  knownWrongPrograms("frame-decoder", knownWrong);
});
