import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../grader/harness/seeded-random.ts";
import { expectedReply, formatIpv4, formatMac, networkOf } from "../../grader/checks/frame-decoder/frame-describer.ts";
import { formatIpv6, ipv6, longestZeroRun, parseIpv6, rfc5952Mistake } from "../../grader/protocols/ipv6-text.ts";
import { encodeFrame, internetChecksum, type FrameSpec, type TransportSpec } from "../../grader/checks/frame-decoder/packet-builder.ts";
import { anyFrame, arpFrame, lessonExample, plainExample, frameAround, randomFrame, randomIpv4Packet, randomIpv6, randomIpv6Packet, randomTcp } from "../../grader/checks/frame-decoder/random-frames.ts";
import { hasPython } from "../support/diagnosis.ts";

/**
 * The packet builder, the IPv6 formatter and the reference describer, tested
 * against peers that owe them nothing: Python's ipaddress and struct always
 * (where python3 is installed), and tshark where it is installed too.
 */

describe("the RFC 5952 formatter", () => {
  it("writes the forms the RFC gives as examples", () => {
    const cases: [string, string][] = [
      ["2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"],
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
      ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["2001:DB8::AAAA", "2001:db8::aaaa"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["0:0:0:0:0:0:0:1", "::1"],
      ["fe80:0:0:0:0:0:0:0", "fe80::"],
      ["0:0:1:0:0:0:0:1", "0:0:1::1"],
    ];
    for (const [input, want] of cases) expect(formatIpv6(ipv6(input)), input).toBe(want);
  });

  it("names what is wrong with a form that is not RFC 5952", () => {
    const address = ipv6("2001:db8::1");
    expect(rfc5952Mistake("2001:0db8:0000:0000:0000:0000:0000:0001", address)).toMatch(/leading zeros/);
    expect(rfc5952Mistake("2001:db8:0:0:0:0:0:1", address)).toMatch(/not compressed/);
    expect(rfc5952Mistake("2001:DB8::1", address)).toMatch(/upper-case/);
    expect(rfc5952Mistake("2001:db8:0::1", address)).toMatch(/leaves zero groups beside/);
    expect(rfc5952Mistake("2001:db8::1:0:0:1", ipv6("2001:db8:0:0:1:0:0:1"))).toBeUndefined();
    expect(rfc5952Mistake("2001:db8:0:0:1::1", ipv6("2001:db8:0:0:1:0:0:1"))).toMatch(/on a tie/);
    expect(rfc5952Mistake("2001:db8::1:1:1:1:1", ipv6("2001:db8:0:1:1:1:1:1"))).toMatch(/single zero group/);
    expect(rfc5952Mistake("2001::1:0:0:0:1", ipv6("2001:0:0:1:0:0:0:1"))).toMatch(/shorter run/);
    expect(rfc5952Mistake("2001:db8::2", address)).toBeUndefined();
  });

  it("parses what it writes, and rejects what is not an address", () => {
    const random = new SeededRandom("parse");
    for (let i = 0; i < 500; i++) {
      const address = randomIpv6(random);
      expect(parseIpv6(formatIpv6(address))?.equals(address)).toBe(true);
    }
    for (const bad of ["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1:2:3:4:5:6:7::8"]) expect(parseIpv6(bad), bad).toBeUndefined();
    expect(longestZeroRun([1, 0, 1, 0, 1, 0, 1, 0])).toBeUndefined();
  });

  it.skipIf(!hasPython)(`agrees with Python's ipaddress on every layout of zero groups${hasPython ? "" : " (skipped: python3 is not installed)"}`, () => {
    const random = new SeededRandom("zero layouts");
    const addresses: Buffer[] = [];
    // Each of the 256 patterns of zero and non-zero groups, three times over, and realistic ones.
    for (let mask = 0; mask < 256; mask++) {
      for (let round = 0; round < 3; round++) {
        const address = Buffer.alloc(16);
        for (let g = 0; g < 8; g++) if (!(mask & (1 << g))) address.writeUInt16BE(random.pick([1, 0xa, 0xdb8, 0x100, random.int(1, 0xfffe)]), 2 * g);
        if (!isMapped(address)) addresses.push(address);
      }
    }
    for (let i = 0; i < 1000; i++) addresses.push(randomIpv6(random));
    const python = runPython(
      "import ipaddress, sys\nfor line in sys.stdin.read().split():\n    print(ipaddress.IPv6Address(bytes.fromhex(line)))",
      addresses.map((a) => a.toString("hex")).join("\n"),
    );
    expect(addresses.map(formatIpv6)).toEqual(python.trim().split("\n"));
  });
});

describe("the packet builder", () => {
  it("writes the exercise's example byte for byte, as the lesson gives it", () => {
    const bytes = encodeFrame(lessonExample()).bytes;
    expect(bytes.toString("hex")).toBe(
      "66778899aabb001a2b3c4d5e08004500003c1c464000400626e9c0a8010a5db8d822c93800503b9aca0000000000a002faf050060000020405b40402080a0a1b2c3d0000000001030307",
    );
    expect(internetChecksum(bytes.subarray(14, 34))).toBe(0);
    const line = "eth 00:1a:2b:3c:4d:5e > 66:77:88:99:aa:bb | ipv4 192.168.1.10 > 93.184.216.34 ttl=64 | tcp 51512 > 80 flags=SYN | payload 0";
    expect(expectedReply(lessonExample())).toEqual({ kind: "reply", line });
    expect(expectedReply(plainExample())).toEqual({ kind: "reply", line });
  });

  it("marks where each header, option block, payload and padding lies", () => {
    const random = new SeededRandom("regions");
    const spec = randomFrame(random, { ip: 4, transport: "tcp", ipOptions: 8, tcpOptions: 12, payload: 0, pad: true });
    expect(encodeFrame(spec).regions.map((r) => [r.name, r.start, r.end])).toEqual([
      ["Ethernet header", 0, 14],
      ["IPv4 header", 14, 34],
      ["IPv4 options", 34, 42],
      ["TCP header", 42, 62],
      ["TCP options", 62, 74],
    ]);
    const padded = randomFrame(random, { ip: 4, transport: "udp", payload: 2, pad: true });
    expect(encodeFrame(padded).bytes.length).toBe(60);
    expect(encodeFrame(padded).regions.at(-1)).toEqual({ name: "padding", start: 44, end: 60 });
  });

  const sample = sampleFrames();

  it.skipIf(!hasPython)(`writes frames that Python's struct reads back field for field, checksums right${hasPython ? "" : " (skipped: python3 is not installed)"}`, () => {
    const parsed = JSON.parse(runPython(PYTHON_PARSER, sample.map((f) => encodeFrame(f).bytes.toString("hex")).join("\n"))) as unknown[];
    expect(parsed).toHaveLength(sample.length);
    sample.forEach((spec, i) => expect(parsed[i], `frame ${i}: ${encodeFrame(spec).bytes.toString("hex")}`).toEqual(fieldsOf(spec)));
  });

  it.skipIf(!hasPython)(`keeps the IP lengths and checksum right when a transport header is cut inside its packet${hasPython ? "" : " (skipped: python3 is not installed)"}`, () => {
    const random = new SeededRandom("cut inside");
    const specs = Array.from({ length: 40 }, (_, i) => {
      const tcp = { ...randomTcp(random, { tcpOptions: 16 }), cutTo: random.int(0, 35) };
      return frameAround(random, i % 2 ? randomIpv4Packet(random, tcp, 4 * random.int(0, 3)) : randomIpv6Packet(random, tcp));
    });
    const parsed = JSON.parse(runPython(PYTHON_PARSER, specs.map((f) => encodeFrame(f).bytes.toString("hex")).join("\n"))) as { ip: Record<string, unknown>; trailer: string }[];
    specs.forEach((spec, i) => {
      const network = networkOf(spec)!;
      const cutTo = (network.transport as { cutTo: number }).cutTo;
      const { ip, trailer } = parsed[i]!;
      expect(trailer).toBe("");
      if (network.version === 4) expect([ip.total, ip.checksum_ok]).toEqual([20 + network.options.length + cutTo, true]);
      else expect(ip.payload_length).toBe(cutTo);
    });
  });

  const tshark = spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;
  it.skipIf(!tshark)(`writes frames that tshark decodes to the describer's reply, checksums verified${tshark ? "" : " (skipped: tshark is not installed)"}`, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "frame-builder-"));
    // tshark calls an ICMP message under 8 bytes malformed and decodes nothing of it; Python reads those above.
    const frames = sample.filter((spec) => {
      const transport = networkOf(spec)?.transport;
      return !(transport?.kind === "icmp" && transport.rest.length < 4);
    });
    try {
      const file = path.join(dir, "frames.pcap");
      writeFileSync(file, pcapOf(frames.map((f) => encodeFrame(f).bytes)));
      const fields = TSHARK_FIELDS.flatMap((f) => ["-e", f]);
      const prefs = ["ip", "tcp", "udp"].flatMap((p) => ["-o", `${p}.check_checksum:TRUE`]);
      const run = spawnSync("tshark", ["-n", "-r", file, ...prefs, "-T", "fields", ...fields, "-E", "separator=\t", "-E", "occurrence=f"], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const rows = run.stdout.trimEnd().split("\n").map((line) => Object.fromEntries(line.split("\t").map((v, i) => [TSHARK_FIELDS[i]!, v])));
      expect(rows).toHaveLength(frames.length);
      frames.forEach((spec, i) => expect(lineFromTshark(rows[i]!, spec), `frame ${i}: ${encodeFrame(spec).bytes.toString("hex")}`).toEqual(expectedReply(spec)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every kind of frame the checks send, and then some: all flag bytes, every option length, padding, trailers. */
function sampleFrames(): FrameSpec[] {
  const random = new SeededRandom("builder sample");
  const frames: FrameSpec[] = [];
  for (let flags = 0; flags < 256; flags += 1) frames.push(randomFrame(random, { ip: flags % 3 ? 4 : 6, transport: "tcp", flags, payload: random.int(0, 30) }));
  for (let words = 0; words <= 10; words++) {
    frames.push(randomFrame(random, { ip: 4, transport: random.pick(["tcp", "udp", "icmp"] as const), ipOptions: 4 * words, tcpOptions: 0 }));
    frames.push(randomFrame(random, { ip: random.pick([4, 6] as const), transport: "tcp", tcpOptions: 4 * words }));
  }
  frames.push(randomFrame(random, { ip: 4, transport: "tcp", payload: 0, pad: true }), randomFrame(random, { ip: 4, transport: "udp", payload: 0, pad: true }));
  frames.push({ ...randomFrame(random, { ip: 6, transport: "udp", payload: 3 }), padding: random.bytes(4) });
  frames.push(frameAround(random, { ...randomIpv6Packet(random, { kind: "udp", sport: 546, dport: 547, payload: random.bytes(20) }), src: ipv6("::") }));
  frames.push(frameAround(random, randomIpv4Packet(random, { kind: "icmp", type: 3, code: 4, rest: Buffer.alloc(0) })));
  frames.push(arpFrame(random), arpFrame(random, true));
  for (let i = 0; i < 300; i++) frames.push(anyFrame(random));
  return frames;
}

/** What the Python parser should read from the frame built from `spec`. */
function fieldsOf(spec: FrameSpec): unknown {
  const network = networkOf(spec);
  const head = { dst: formatMac(spec.dst), src: formatMac(spec.src), type: spec.etherType };
  if (!network) return { ...head, body: (spec.network as Buffer).toString("hex"), line: (expectedReply(spec) as { line: string }).line };
  const ip =
    network.version === 4
      ? { version: 4, ihl: 5 + network.options.length / 4, tos: network.tos, total: encodeFrame({ ...spec, padding: Buffer.alloc(0) }).bytes.length - 14, id: network.id, df: network.dontFragment, ttl: network.ttl, protocol: protocolNumber(network.transport), checksum_ok: true, src: formatIpv4(network.src), dst: formatIpv4(network.dst), options: network.options.toString("hex") }
      : { version: 6, traffic_class: network.trafficClass, flow: network.flowLabel, payload_length: encodeFrame({ ...spec, padding: Buffer.alloc(0) }).bytes.length - 54, protocol: protocolNumber(network.transport), hop: network.hopLimit, src: formatIpv6(network.src), dst: formatIpv6(network.dst) };
  const t = network.transport;
  const transport =
    t.kind === "tcp"
      ? { tcp: { sport: t.sport, dport: t.dport, seq: t.seq, ack: t.ack, offset: 5 + t.options.length / 4, reserved: t.reserved, flags: t.flags, window: t.window, urgent: t.urgent, checksum_ok: true, options: t.options.toString("hex"), payload: t.payload.toString("hex") } }
      : t.kind === "udp"
        ? { udp: { sport: t.sport, dport: t.dport, length: 8 + t.payload.length, checksum_ok: true, payload: t.payload.toString("hex") } }
        : t.kind === "icmp"
          ? { icmp: { type: t.type, code: t.code, checksum_ok: true, rest: t.rest.toString("hex") } }
          : { segment: t.bytes.toString("hex") };
  return { ...head, ip, trailer: spec.padding.toString("hex"), ...transport, line: (expectedReply(spec) as { line: string }).line };
}

function protocolNumber(transport: TransportSpec): number {
  return transport.kind === "other" ? transport.protocol : { tcp: 6, udp: 17, icmp: 1 }[transport.kind];
}

/** A parser written from the RFCs with struct, and a describer of its own: no code shared with the builder. */
const PYTHON_PARSER = String.raw`
import ipaddress, json, struct, sys

def ones_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total

def parse(frame):
    out = {"dst": frame[0:6].hex(":"), "src": frame[6:12].hex(":"), "type": struct.unpack_from("!H", frame, 12)[0]}
    layers = ["eth %s > %s" % (out["src"], out["dst"])]
    packet = frame[14:]
    if out["type"] == 0x0800:
        vihl, tos, total, ident, frag, ttl, proto = struct.unpack_from("!BBHHHBB", packet)
        ihl = (vihl & 15) * 4
        src, dst = str(ipaddress.IPv4Address(packet[12:16])), str(ipaddress.IPv4Address(packet[16:20]))
        out["ip"] = {"version": vihl >> 4, "ihl": vihl & 15, "tos": tos, "total": total, "id": ident, "df": bool(frag & 0x4000), "ttl": ttl,
                     "protocol": proto, "checksum_ok": ones_sum(packet[:ihl]) == 0xFFFF, "src": src, "dst": dst, "options": packet[20:ihl].hex()}
        segment, out["trailer"] = packet[ihl:total], packet[total:].hex()
        pseudo = packet[12:20] + struct.pack("!BBH", 0, proto, len(segment))
        layers.append("ipv4 %s > %s ttl=%d" % (src, dst, ttl))
    elif out["type"] == 0x86DD:
        first, length, proto, hop = struct.unpack_from("!IHBB", packet)
        src, dst = str(ipaddress.IPv6Address(packet[8:24])), str(ipaddress.IPv6Address(packet[24:40]))
        out["ip"] = {"version": first >> 28, "traffic_class": (first >> 20) & 0xFF, "flow": first & 0xFFFFF, "payload_length": length,
                     "protocol": proto, "hop": hop, "src": src, "dst": dst}
        segment, out["trailer"] = packet[40:40 + length], packet[40 + length:].hex()
        pseudo = packet[8:40] + struct.pack("!I3xB", len(segment), proto)
        layers.append("ipv6 %s > %s hop=%d" % (src, dst, hop))
    else:
        out["body"] = packet.hex()
        out["line"] = " | ".join(layers + ["type 0x%04x" % out["type"]])
        return out
    if proto == 6 and len(segment) >= 20:
        sport, dport, seq, ack, off, flags, window, _, urgent = struct.unpack_from("!HHIIBBHHH", segment)
        hl = (off >> 4) * 4
        out["tcp"] = {"sport": sport, "dport": dport, "seq": seq, "ack": ack, "offset": off >> 4, "reserved": off & 15, "flags": flags,
                      "window": window, "urgent": urgent, "checksum_ok": ones_sum(pseudo + segment) == 0xFFFF,
                      "options": segment[20:hl].hex(), "payload": segment[hl:].hex()}
        names = [n for bit, n in enumerate(["FIN", "SYN", "RST", "PSH", "ACK", "URG"]) if flags & (1 << bit)]
        layers += ["tcp %d > %d flags=%s" % (sport, dport, ",".join(names) or "none"), "payload %d" % (len(segment) - hl)]
    elif proto == 17 and len(segment) >= 8:
        sport, dport, length, checksum = struct.unpack_from("!HHHH", segment)
        out["udp"] = {"sport": sport, "dport": dport, "length": length, "checksum_ok": checksum != 0 and ones_sum(pseudo + segment) == 0xFFFF,
                      "payload": segment[8:].hex()}
        layers += ["udp %d > %d" % (sport, dport), "payload %d" % (len(segment) - 8)]
    elif proto == 1 and len(segment) >= 4:
        out["icmp"] = {"type": segment[0], "code": segment[1], "checksum_ok": ones_sum(segment) == 0xFFFF, "rest": segment[4:].hex()}
        layers.append("icmp type=%d code=%d" % (segment[0], segment[1]))
    else:
        out["segment"] = segment.hex()
        layers.append("proto %d" % proto)
    out["line"] = " | ".join(layers)
    return out

print(json.dumps([parse(bytes.fromhex(line)) for line in sys.stdin.read().split()]))
`;

const TSHARK_FIELDS = [
  "eth.src", "eth.dst", "eth.type",
  "ip.src", "ip.dst", "ip.ttl", "ip.proto", "ip.checksum.status",
  "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.nxt",
  "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.len", "tcp.checksum.status",
  "udp.srcport", "udp.dstport", "udp.length", "udp.checksum.status",
  "icmp.type", "icmp.code", "icmp.checksum.status",
];

/** The reply line, made from what tshark decoded; checksums it could not verify make it say so. */
function lineFromTshark(row: Record<string, string>, spec: FrameSpec): { kind: "reply"; line: string } | { problem: string } {
  const layers = [`eth ${row["eth.src"]} > ${row["eth.dst"]}`];
  const network = networkOf(spec);
  if (!network) return { kind: "reply", line: [...layers, `type 0x${Number(row["eth.type"]).toString(16).padStart(4, "0")}`].join(" | ") };
  if (network.version === 4) {
    if (row["ip.checksum.status"] !== "1") return { problem: `IPv4 header checksum status ${row["ip.checksum.status"]}` };
    layers.push(`ipv4 ${row["ip.src"]} > ${row["ip.dst"]} ttl=${row["ip.ttl"]}`);
  } else {
    layers.push(`ipv6 ${row["ipv6.src"]} > ${row["ipv6.dst"]} hop=${row["ipv6.hlim"]}`);
  }
  const protocol = Number(network.version === 4 ? row["ip.proto"] : row["ipv6.nxt"]);
  if (protocol === 6) {
    if (row["tcp.checksum.status"] !== "1") return { problem: `TCP checksum status ${row["tcp.checksum.status"]}` };
    const flags = Number(row["tcp.flags"]);
    const names = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"].filter((_, bit) => flags & (1 << bit));
    layers.push(`tcp ${row["tcp.srcport"]} > ${row["tcp.dstport"]} flags=${names.join(",") || "none"}`, `payload ${row["tcp.len"]}`);
  } else if (protocol === 17) {
    if (row["udp.checksum.status"] !== "1") return { problem: `UDP checksum status ${row["udp.checksum.status"]}` };
    layers.push(`udp ${row["udp.srcport"]} > ${row["udp.dstport"]}`, `payload ${Number(row["udp.length"]) - 8}`);
  } else if (protocol === 1) {
    if (row["icmp.checksum.status"] !== "1") return { problem: `ICMP checksum status ${row["icmp.checksum.status"]}` };
    layers.push(`icmp type=${row["icmp.type"]} code=${row["icmp.code"]}`);
  } else {
    layers.push(`proto ${protocol}`);
  }
  return { kind: "reply", line: layers.join(" | ") };
}

/** A classic pcap file of Ethernet frames. */
function pcapOf(frames: Buffer[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000 + i, 0);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

function isMapped(address: Buffer): boolean {
  return address.subarray(0, 10).every((b) => b === 0) && address.readUInt16BE(10) === 0xffff;
}

let scratch: string | undefined;
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function runPython(script: string, input: string): string {
  scratch ??= mkdtempSync(path.join(os.tmpdir(), "frame-builder-py-"));
  const file = path.join(scratch, `script-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, script);
  const run = spawnSync("python3", [file], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return run.stdout;
}
