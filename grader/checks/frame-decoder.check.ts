/**
 * frame-decoder: each request line is the hex of an Ethernet II frame; the
 * reply names the layers. The checks meet one concept at a time (Ethernet,
 * IPv4, TCP/UDP/ICMP, IPv4 and TCP options, IPv6, padding, errors, framing),
 * so each usual bug fails first at the check that names it.
 *
 * Frames come from a packet builder (grader/checks/frame-decoder/) with
 * seeded random fields; the expected reply is worked out from those fields.
 *
 * Decisions where COURSE.md leaves room (lessons/03-layers.md says the same):
 * - An IP length that claims more bytes than the frame holds (IPv4 total
 *   length, IPv6 payload length) is a packet cut short: "error: <reason>",
 *   even when every header is whole. Payload is never "what happens to be there".
 * - A header that contradicts itself is an error too: an IPv4 version other
 *   than 4, an IHL or TCP data offset below 5, a total length below IHL × 4.
 * - An empty line is an error: it holds no Ethernet header.
 * - Hex may be upper, lower or mixed case; anything else on the line (spaces,
 *   colons, "0x", an odd digit at the end) makes it "not valid hex": an error.
 *   Replies are lower case whatever the request was.
 * - Any "error: " followed by a reason passes: the reason's words are free.
 * - A frame whose headers are all whole but whose bytes run past the IP
 *   packet (padding, an FCS trailer) is decoded, and those bytes are not payload.
 * - IPv6 extension headers are not followed: next header 0, 43, 44, 58 (ICMPv6)
 *   are "proto <n>". Only protocol 1 is "icmp". No IPv4-mapped addresses are sent.
 */
import { check, gradeExercise } from "../harness/index.ts";
import { contradictoryRequests, cutShortRequests } from "./frame-decoder/broken-frames.ts";
import { askEach, askPipelined, expectReplyTo, FRAMING_HINT, quoted, splitEvery, splitRandomly, writePieces } from "./frame-decoder/exchange.ts";
import { ipv6 } from "../protocols/ipv6-text.ts";
import { encodeFrame, type FrameSpec, type TransportSpec } from "./frame-decoder/packet-builder.ts";
import { badLineRequest, frameRequest, wireBytes, type Request } from "./frame-decoder/requests.ts";
import {
  anyFrame,
  arpFrame,
  lessonExample,
  frameAround,
  otherEtherTypeFrame,
  plainExample,
  randomFrame,
  randomIcmp,
  randomIpv4Packet,
  randomIpv6Packet,
  randomOtherEtherType,
  randomTcp,
  randomTransport,
} from "./frame-decoder/random-frames.ts";

gradeExercise("frame-decoder");

const NOT_HEX_HINT =
  'a line is a frame only when it is pairs of hex digits and nothing else: reply "error: <reason>" to anything else. Buffer.from(line, "hex") does not check: it stops at the first non-hex character and drops an odd last digit, so test the line first, e.g. /^([0-9a-fA-F]{2})+$/. (Python: bytes.fromhex raises ValueError, but lets spaces through.)';
const CRLF_HINT = 'a line may end in "\\r\\n" (nc -C, telnet, Windows tools): drop a "\\r" right before the "\\n" before you decode the line.';
const SHARED_BUFFER_HINT =
  "each connection needs its own buffer of unfinished lines: declare it inside the 'connection' callback (Python: inside the per-client handler), never once for the whole server, or one client's half line gets glued to another's.";

check("eth: names an ARP frame's MAC addresses, source first, then type 0x0806", async (ctx) => {
  const client = await ctx.tcp();
  await askEach(ctx, client, [arpFrame(ctx.random), arpFrame(ctx.random), arpFrame(ctx.random, true)].map((spec) => frameRequest(spec)));
});

check("type: names any other ethertype as 0x and 4 hex digits, and nothing more", async (ctx) => {
  const client = await ctx.tcp();
  const types = [0x0842, 0x88cc, 0x8100, 0x8847, randomOtherEtherType(ctx.random)];
  await askEach(ctx, client, types.map((type) => frameRequest(otherEtherTypeFrame(ctx.random, type))));
});

check("ipv4: names the addresses and TTL, and proto <n> for other protocols", async (ctx) => {
  const client = await ctx.tcp();
  const gre: TransportSpec = { kind: "other", protocol: 47, bytes: ctx.random.bytes(24) };
  const frames = [frameAround(ctx.random, randomIpv4Packet(ctx.random, gre)), ...times(3, () => randomFrame(ctx.random, { ip: 4, transport: "other" }))];
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("tcp: names the ports, the flags and the payload size", async (ctx) => {
  const client = await ctx.tcp();
  const frames = [
    ...times(4, () => randomFrame(ctx.random, { ip: 4, transport: "tcp" })),
    randomFrame(ctx.random, { ip: 4, transport: "tcp", flags: 0x18, payload: 1460 }),
  ];
  await askEach(ctx, client, [frameRequest(plainExample(), { label: "the SYN of the exercise's example, without its TCP options" }), ...frames.map((spec) => frameRequest(spec))]);
});

check("tcp: names the flags right for all 64 combinations", async (ctx) => {
  const client = await ctx.tcp();
  const combinations = ctx.random.shuffle(Array.from({ length: 64 }, (_, flags) => flags));
  const requests = combinations.map((flags) => {
    // ECE and CWR (the two top bits) and the reserved bits of byte 12 are set now and then: none of them is named.
    const tcp = { ...randomTcp(ctx.random, { flags: flags | (ctx.random.next() < 0.25 ? 0xc0 & ctx.random.int(0, 255) : 0) }), reserved: ctx.random.next() < 0.2 ? 1 : 0 };
    return frameRequest(frameAround(ctx.random, randomIpv4Packet(ctx.random, tcp)));
  });
  await askEach(ctx, client, requests);
});

check("udp: names the ports and the payload size", async (ctx) => {
  const client = await ctx.tcp();
  const payloads = [0, 12, ctx.random.int(100, 1200)];
  await askEach(ctx, client, payloads.map((payload) => frameRequest(randomFrame(ctx.random, { ip: 4, transport: "udp", payload }))));
});

check("icmp: names the type and code from a 4-byte header", async (ctx) => {
  const client = await ctx.tcp();
  const bare: TransportSpec = { kind: "icmp", type: 3, code: 3, rest: Buffer.alloc(0) };
  const frames = [...times(4, () => frameAround(ctx.random, randomIpv4Packet(ctx.random, randomIcmp(ctx.random)))), frameAround(ctx.random, randomIpv4Packet(ctx.random, bare))];
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("IPv4 options: the next header starts at IHL × 4, not at 20", async (ctx) => {
  const client = await ctx.tcp();
  const shapes = [
    { transport: "tcp", options: 8 },
    { transport: "tcp", options: 4 },
    { transport: "udp", options: 12 },
    { transport: "icmp", options: 4 },
    { transport: "tcp", options: 40 },
  ] as const;
  const frames = shapes.map((shape) => randomFrame(ctx.random, { ip: 4, transport: shape.transport, ipOptions: shape.options, tcpOptions: 0, payload: ctx.random.int(0, 80) }));
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("TCP options: the payload starts at the data offset × 4, not at 20", async (ctx) => {
  const client = await ctx.tcp();
  const frames = [
    randomFrame(ctx.random, { ip: 4, transport: "tcp", tcpOptions: 12, flags: 0x18, payload: ctx.random.int(1, 120) }),
    randomFrame(ctx.random, { ip: 4, transport: "tcp", tcpOptions: 20, flags: 0x02, payload: 0 }),
    randomFrame(ctx.random, { ip: 4, transport: "tcp", tcpOptions: 40, flags: 0x10, payload: ctx.random.int(1, 40) }),
    randomFrame(ctx.random, { ip: 4, transport: "tcp", ipOptions: 8, tcpOptions: 12, flags: 0x19, payload: ctx.random.int(1, 40) }),
  ];
  await askEach(ctx, client, [frameRequest(lessonExample(), { label: "the exercise's example: a SYN with 20 bytes of TCP options" }), ...frames.map((spec) => frameRequest(spec))]);
});

check("ipv6: names the addresses in RFC 5952 form and the hop limit", async (ctx) => {
  const client = await ctx.tcp();
  const mdns: TransportSpec = { kind: "udp", sport: 5353, dport: 5353, payload: ctx.random.bytes(40) };
  const first = frameAround(ctx.random, { ...randomIpv6Packet(ctx.random, mdns), src: ipv6("fe80::1a2b:3c4d:5e6f:7"), dst: ipv6("ff02::fb"), hopLimit: 255 });
  const frames = [
    first,
    randomFrame(ctx.random, { ip: 6, transport: "tcp" }),
    randomFrame(ctx.random, { ip: 6, transport: "udp" }),
    frameAround(ctx.random, randomIpv6Packet(ctx.random, { kind: "other", protocol: 58, bytes: ctx.random.bytes(24) })),
    randomFrame(ctx.random, { ip: 6, transport: "other" }),
  ];
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("ipv6: compresses the longest zero run (the first on a tie), never a lone zero", async (ctx) => {
  const client = await ctx.tcp();
  const pairs = [
    ["2001:db8:0:0:1:0:0:1", "2001:0:0:1:0:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "fe80:0:0:0:0:0:0:0"],
    ["0:0:1:0:0:0:0:1", "0:0:0:0:1:0:0:0"],
    ["::", "ff02::1:ff00:1"],
    ["2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", "2001:db8:0:0:0:0:2:1"],
  ] as const;
  const frames = pairs.map(([src, dst]) => frameAround(ctx.random, { ...randomIpv6Packet(ctx.random, randomTransport(ctx.random, { ip: 6, transport: "udp" })), src: ipv6(src), dst: ipv6(dst) }));
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("padding: bytes after the IP packet are not payload", async (ctx) => {
  const client = await ctx.tcp();
  const trailer = (spec: FrameSpec): FrameSpec => ({ ...spec, padding: ctx.random.bytes(4) });
  const frames = [
    randomFrame(ctx.random, { ip: 4, transport: "tcp", flags: 0x10, payload: 0, pad: true }),
    randomFrame(ctx.random, { ip: 4, transport: "udp", payload: 4, pad: true }),
    randomFrame(ctx.random, { ip: 4, transport: "tcp", flags: 0x18, payload: 3, pad: true }),
    trailer(randomFrame(ctx.random, { ip: 6, transport: "udp", payload: 10 })),
    trailer(randomFrame(ctx.random, { ip: 6, transport: "tcp", payload: 0 })),
  ];
  await askEach(ctx, client, frames.map((spec) => frameRequest(spec)));
});

check("not hex: answers error: <reason> and keeps the connection open", async (ctx) => {
  const client = await ctx.tcp();
  const hex = encodeFrame(randomFrame(ctx.random, { ip: 4, transport: "udp", payload: 8 })).bytes.toString("hex");
  const middle = 2 * ctx.random.int(10, 30) + 1;
  const requests = [
    badLineRequest("hello", 'the word "hello"', NOT_HEX_HINT),
    badLineRequest("", "an empty line", NOT_HEX_HINT),
    badLineRequest(`${hex}a`, "a whole frame followed by one more hex digit (an odd number of digits)", NOT_HEX_HINT),
    badLineRequest(`${hex}zz`, 'a whole frame followed by "zz"', NOT_HEX_HINT),
    badLineRequest(`${hex.slice(0, middle)}g${hex.slice(middle + 1)}`, 'a frame with a "g" in the middle', NOT_HEX_HINT),
    badLineRequest(`0x${hex}`, 'a frame written with a "0x" in front', NOT_HEX_HINT),
    badLineRequest(hex.slice(0, 24).replace(/(..)(?!$)/g, "$1:"), "bytes separated by colons", NOT_HEX_HINT),
    frameRequest(randomFrame(ctx.random, { ip: 4, transport: "tcp" }), { label: "a good frame after the bad lines, on the same connection" }),
  ];
  await askEach(ctx, client, requests);
});

check("accepts hex in upper, lower and mixed case", async (ctx) => {
  const client = await ctx.tcp();
  await askEach(ctx, client, [
    frameRequest(randomFrame(ctx.random, { ip: 4, transport: "tcp" }), { case: "upper", label: "in upper case" }),
    frameRequest(randomFrame(ctx.random, { ip: 6, transport: "udp" }), { case: "mixed", label: "in mixed case" }),
    frameRequest(arpFrame(ctx.random), { case: "upper", label: "in upper case" }),
    frameRequest(randomFrame(ctx.random, { ip: 4, transport: "icmp" }), { case: "lower", label: "in lower case" }),
  ]);
});

check("cut short: answers error: <reason> for a frame cut inside any header", async (ctx) => {
  const client = await ctx.tcp();
  await askEach(ctx, client, [...cutShortRequests(ctx.random), frameRequest(anyFrame(ctx.random), { label: "a whole frame after the cut ones, on the same connection" })]);
});

check("bad headers: answers error: <reason> for a header that contradicts itself", async (ctx) => {
  const client = await ctx.tcp();
  await askEach(ctx, client, [...contradictoryRequests(ctx.random), frameRequest(anyFrame(ctx.random), { label: "a whole frame after the bad ones, on the same connection" })]);
});

check("framing: a line that arrives byte by byte, and lines split anywhere", async (ctx) => {
  const client = await ctx.tcp();
  const single = frameRequest(lessonExample(), { hint: FRAMING_HINT });
  await askPipelined(ctx, client, [single], { pieces: splitEvery(1), pauseMs: 1, how: "one byte per write, 1 ms apart" });
  const requests = times(4, () => frameRequest(anyFrame(ctx.random), { hint: FRAMING_HINT }));
  await askPipelined(ctx, client, requests, { pieces: splitRandomly(ctx.random, 12), pauseMs: 2, how: "cut at random places into 12 writes, 2 ms apart" });
});

check("framing: several lines in one write, answered in order", async (ctx) => {
  const client = await ctx.tcp();
  const requests = [
    ...times(10, () => frameRequest(anyFrame(ctx.random), { hint: FRAMING_HINT })),
    badLineRequest("not hex at all", '"not hex at all"', FRAMING_HINT),
    frameRequest(lessonExample(), { hint: FRAMING_HINT }),
  ];
  await askPipelined(ctx, client, ctx.random.shuffle(requests));
});

check("framing: drops the \\r of a \\r\\n line end", async (ctx) => {
  const client = await ctx.tcp();
  await askEach(ctx, client, [
    frameRequest(randomFrame(ctx.random, { ip: 4, transport: "tcp" }), { ending: "\r\n", hint: CRLF_HINT, label: 'ending in "\\r\\n"' }),
    { ...badLineRequest("xyz", '"xyz", ending in "\\r\\n"', CRLF_HINT), ending: "\r\n" },
    frameRequest(randomFrame(ctx.random, { ip: 6, transport: "udp" }), { ending: "\r\n", hint: CRLF_HINT, case: "upper", label: 'in upper case, ending in "\\r\\n"' }),
  ]);
});

check("150 random frames of every kind, sent in random pieces", async (ctx) => {
  const client = await ctx.tcp();
  const { random } = ctx;
  const requests: Request[] = times(136, () => frameRequest(anyFrame(random), { case: random.pick(["lower", "lower", "upper", "mixed"] as const), ending: random.next() < 0.2 ? "\r\n" : "\n" }));
  requests.push(...cutShortRequests(random).slice(0, 12), badLineRequest("ff", "a single byte, cut short inside the Ethernet header"), badLineRequest("", "an empty line", NOT_HEX_HINT));
  await askPipelined(ctx, client, random.shuffle(requests), { pieces: splitRandomly(random, 40) });
});

check("two clients: each one's partial line stays its own", async (ctx) => {
  const first = await ctx.tcp();
  const second = await ctx.tcp();
  const a = frameRequest(randomFrame(ctx.random, { ip: 4, transport: "tcp" }), { hint: SHARED_BUFFER_HINT });
  const b = frameRequest(randomFrame(ctx.random, { ip: 6, transport: "udp" }), { hint: SHARED_BUFFER_HINT });
  const aBytes = wireBytes(a);
  const half = ctx.random.int(10, aBytes.length - 10);
  ctx.scope.transcript.add(first.label, `sent  the first ${half} bytes of ${quoted(a.text)} (${a.what})`);
  await writePieces(ctx, first, [aBytes.subarray(0, half)], 0);
  // Gives the program time to read the half line before the other client's line arrives.
  await ctx.sleep(25);
  second.send(wireBytes(b), `${quoted(b.text + b.ending)} (${b.what})`);
  await expectReplyTo(ctx, second, b);
  ctx.scope.transcript.add(first.label, `sent  the rest: ${quoted(a.text.slice(half) + a.ending)}`);
  await writePieces(ctx, first, [aBytes.subarray(half)], 0);
  await expectReplyTo(ctx, first, a);
});

function times<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make);
}
