/**
 * Frames a decoder must answer with "error: <reason>". Frames cut short in
 * every place it must notice: inside the Ethernet header, the IPv4 header and
 * its options, the IPv6 header, the TCP header and its options, the UDP and
 * ICMP headers; whole IP packets whose transport header is short (the IP
 * lengths agree with the bytes present); IP packets whose length field claims
 * more bytes than the frame holds. And headers that contradict themselves.
 */
import type { SeededRandom } from "../../harness/index.ts";
import { encodeFrame, internetChecksum, type FrameSpec, type TransportSpec } from "./packet-builder.ts";
import { explainFrame } from "./frame-describer.ts";
import { cutRequest, frameRequest, type Request } from "./requests.ts";
import { frameAround, randomFrame, randomIcmp, randomIpv4Packet, randomIpv6Packet, randomTcp } from "./random-frames.ts";

export function cutShortRequests(random: SeededRandom): Request[] {
  const ipv4Tcp = randomFrame(random, { ip: 4, transport: "tcp", tcpOptions: 12, payload: 40 });
  const ipv4Options = randomFrame(random, { ip: 4, transport: "udp", ipOptions: 12, payload: 20 });
  const ipv6Udp = randomFrame(random, { ip: 6, transport: "udp", payload: 30 });
  const icmp = randomFrame(random, { ip: 4, transport: "icmp" });
  const udp = randomFrame(random, { ip: 4, transport: "udp", payload: 10 });
  const shortInside = (ip: 4 | 6, transport: TransportSpec): FrameSpec =>
    frameAround(random, ip === 4 ? randomIpv4Packet(random, transport) : randomIpv6Packet(random, transport));
  const tcp = (cutTo: number, tcpOptions = 0) => ({ ...randomTcp(random, { tcpOptions, payload: 0 }), cutTo });
  return [
    // The frame cut: every header up to the cut is whole, the rest is missing.
    cutRequest(ipv4Tcp, random.int(1, 13)),
    cutRequest(ipv4Tcp, 14),
    cutRequest(ipv4Tcp, 14 + random.int(1, 19)),
    cutRequest(ipv4Options, 14 + 20 + random.int(1, 11)),
    cutRequest(ipv6Udp, 14 + random.int(1, 39)),
    cutRequest(ipv4Tcp, 14 + 20 + random.int(1, 19)),
    cutRequest(ipv4Tcp, 14 + 20 + 20 + random.int(1, 11)),
    cutRequest(udp, 14 + 20 + random.int(1, 7)),
    cutRequest(icmp, 14 + 20 + random.int(1, 3)),
    // Cut inside the payload: the IP length claims bytes the frame does not have.
    cutRequest(ipv4Tcp, 14 + 20 + 32 + random.int(1, 39)),
    cutRequest(ipv6Udp, 14 + 40 + 8 + random.int(1, 29)),
    // Whole IP packets, lengths and checksum right, whose transport header does not fit.
    frameRequest(shortInside(4, tcp(random.int(0, 19)))),
    frameRequest(shortInside(6, tcp(20 + 4 * random.int(0, 2), 16))),
    frameRequest(shortInside(4, { kind: "udp", sport: 53, dport: random.int(1024, 65535), payload: random.bytes(20), cutTo: random.int(0, 7) })),
    frameRequest(shortInside(4, { ...randomIcmp(random), cutTo: random.int(0, 3) })),
  ];
}

export const CONTRADICTION_HINT =
  'a header that contradicts itself cannot be decoded: an IPv4 header (ethertype 0x0800) whose version is not 4, an IHL or a TCP data offset below 5 (those headers are at least 20 bytes), an IPv4 total length below IHL × 4. Check these fields before you use them, and reply "error: <reason>".';

/** Whole frames with one header field changed to a value that cannot be: each gets an error. */
export function contradictoryRequests(random: SeededRandom): Request[] {
  const ipv4 = (patch: (bytes: Buffer) => void, what: string) => patched(randomFrame(random, { ip: 4, transport: "tcp", payload: random.int(0, 20) }), patch, what);
  return [
    ipv4((b) => (b[14] = 0x65), "the version field of its IPv4 header says 6"),
    ipv4((b) => (b[14] = 0x44), "its IHL is 4 (16 bytes, below the 20-byte minimum)"),
    ipv4((b) => (b[14] = 0x40), "its IHL is 0"),
    ipv4((b) => b.writeUInt16BE(19, 16), "its IPv4 total length is 19, shorter than its own 20-byte header"),
    ipv4((b) => (b[14 + 20 + 12] = 0x40), "its TCP data offset is 4 (16 bytes, below the 20-byte minimum)"),
    ipv4((b) => (b[14 + 20 + 12] = 0x00), "its TCP data offset is 0"),
  ];
}

/** The frame with `patch` applied and the IPv4 header checksum made right again, so only the patched field is wrong. */
function patched(spec: FrameSpec, patch: (bytes: Buffer) => void, what: string): Request {
  const bytes = Buffer.from(encodeFrame(spec).bytes);
  patch(bytes);
  bytes.writeUInt16BE(0, 24);
  bytes.writeUInt16BE(internetChecksum(bytes.subarray(14, 34)), 24);
  const described = `${explainFrame(spec)}, except that ${what}`;
  return { text: bytes.toString("hex"), ending: "\n", what: described, expect: { kind: "error", why: `${what}: the header contradicts itself` }, spec, hint: CONTRADICTION_HINT };
}
