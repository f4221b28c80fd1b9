/**
 * Turns a wrong reply into advice: finds the first layer that differs and
 * names the field or rule behind it, using what the grader knows about the
 * frame (IPv4 options, TCP options, padding), so the hint names the bug
 * rather than the symptom.
 */
import { formatIpv4, formatMac, networkOf } from "./frame-describer.ts";
import { formatIpv6, rfc5952Mistake } from "../../protocols/ipv6-text.ts";
import type { FrameSpec } from "./packet-builder.ts";
import type { Request } from "./requests.ts";

export const SURVIVAL_HINT =
  'a line you cannot decode must not end the connection, nor your program: reply "error: <reason>" and go on reading lines. In Node, buffer.readUInt16BE() past the end throws a RangeError: check the length before every field you read (or catch errors per line). In Python, bytes.fromhex raises ValueError and struct.unpack_from raises struct.error: catch them per line.';

export const CUT_SHORT_HINT =
  'before reading a header, check the bytes are there: 14 for Ethernet, 20 and then IHL × 4 for IPv4, 40 for IPv6, 20 and then data offset × 4 for TCP, 8 for UDP, 4 for ICMP. The IP length field must fit in the frame too. When something is missing, reply "error: <reason>" instead of a decoded line.';

export const IP_LENGTH_HINT =
  'the IP header says how long the packet is: the IPv4 total length (bytes 2-3), or 40 plus the IPv6 payload length (bytes 4-5). When the frame holds fewer bytes than that after the Ethernet header, the packet is cut short: reply "error: <reason>" rather than counting what happens to be there.';

export const IHL_HINT = (optionBytes: number, ihl: number, transport: string) =>
  `this IPv4 header carries ${optionBytes} bytes of options: its IHL (the low 4 bits of byte 0) is ${ihl}, so the header is ${ihl} × 4 = ${ihl * 4} bytes and the ${transport} header starts ${ihl * 4} bytes into the packet, not 20. Read the header length as (packet[0] & 0x0f) * 4, in Node and Python alike, and start the next layer there.`;

export const DATA_OFFSET_HINT = (optionBytes: number, offset: number) =>
  `this TCP header carries ${optionBytes} bytes of options: its data offset (the high 4 bits of byte 12) is ${offset}, so the header is ${offset} × 4 = ${offset * 4} bytes, and the payload starts after it, not after 20 bytes. Read it as (segment[12] >> 4) * 4; the payload is what is left of the IP packet after that.`;

export const PADDING_HINT = (bytes: number, version: 4 | 6) =>
  version === 4
    ? `this frame ends with ${bytes} bytes that are not part of the IP packet (Ethernet pads every frame to at least 60 bytes). The IPv4 total length (bytes 2-3 of its header) says where the packet ends: count the payload up to there, not to the end of the frame.`
    : `this frame ends with ${bytes} bytes that are not part of the IP packet (padding, or a trailer). The IPv6 payload length (bytes 4-5 of its header) says how many bytes follow the 40-byte header: count the payload up to there, not to the end of the frame.`;

/** The layers of two reply lines, and the first place they differ. */
export function firstLayerDifference(expected: string, got: string): { index: number; want: string | undefined; have: string | undefined } | undefined {
  const want = expected.split(" | ");
  const have = got.split(" | ");
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    if (want[i] !== have[i]) return { index: i, want: want[i], have: have[i] };
  }
  return undefined;
}

/** One line saying which layer differs, for the "expected" part of a failure. */
export function describeLayerDifference(expected: string, got: string): string | undefined {
  const difference = firstLayerDifference(expected, got);
  if (!difference) return undefined;
  const { want, have } = difference;
  if (want === undefined) return `your reply has a layer too many: "${have}"`;
  if (have === undefined) return `your reply stops early: the layer "${want}" is missing`;
  const kind = layerKind(want);
  return kind === layerKind(have) ? `the ${kind} layer differs: expected "${want}", got "${have}"` : `layer ${difference.index + 1} differs: expected "${want}", got "${have}"`;
}

function layerKind(layer: string): string {
  return layer.split(" ")[0] ?? layer;
}

/** The advice for a reply `got` to `request` that is not what it should be. */
export function hintFor(request: Request, got: string): string {
  if (request.hint) return request.hint;
  if (request.expect.kind === "error") {
    if (/^error:/i.test(got)) return 'start an error reply with exactly "error: " (lower case, a colon, a space), then the reason.';
    return / says \d+ bytes, the frame holds/.test(request.expect.why) ? IP_LENGTH_HINT : CUT_SHORT_HINT;
  }
  if (/^error:/i.test(got)) return wholeFrameHint(request);
  const difference = firstLayerDifference(request.expect.line, got);
  if (!difference || !request.spec) return "compare your reply with the expected one, layer by layer.";
  return layerHint(request.spec, difference.want, difference.have);
}

function wholeFrameHint(request: Request): string {
  const spec = request.spec;
  const network = spec && networkOf(spec);
  if (/[A-F]/.test(request.text)) return 'hex comes in either case: "0A" is the same byte as "0a". Accept A-F as well as a-f (Buffer.from(line, "hex") and bytes.fromhex do).';
  if (network?.version === 4 && network.options.length > 0) return `this frame is whole: ${IHL_HINT(network.options.length, 5 + network.options.length / 4, network.transport.kind.toUpperCase())}`;
  if (network?.transport.kind === "icmp" && network.transport.rest.length === 0) return "an ICMP header here is 4 bytes (type, code, checksum): a message with nothing after them is whole.";
  if (spec && spec.padding.length > 0 && network) return `this frame is whole: ${PADDING_HINT(spec.padding.length, network.version)}`;
  return "this frame is whole: every header it needs is there. Check your length checks against where each header really ends.";
}

function layerHint(spec: FrameSpec, want: string | undefined, have: string | undefined): string {
  const network = networkOf(spec);
  if (want === undefined) return "nothing comes after an icmp, proto or type layer, and nothing after payload: end the line there.";
  const kind = layerKind(want);
  if (have === undefined) return kind === "payload" ? "after a tcp or udp layer comes payload <n>: the number of bytes after the transport header within the IP packet." : `add the missing layer: "${want}".`;
  switch (kind) {
    case "eth":
      if (have === `eth ${formatMac(spec.dst)} > ${formatMac(spec.src)}`) return "the frame starts with the destination (bytes 0-5), then the source (bytes 6-11), but the reply names the source first: eth <src> > <dst>.";
      return "write each MAC address as six bytes in lower-case hex, two digits each (0a, not a), joined by colons: [...bytes].map((b) => b.toString(16).padStart(2, \"0\")).join(\":\") (Python: bytes.hex(\":\")).";
    case "type":
      return `only 0x0800 (IPv4) and 0x86dd (IPv6) are decoded further; any other ethertype gets "type 0x" and 4 lower-case hex digits, zero-padded (0x0842, not 0x842), and nothing more: type.toString(16).padStart(4, "0") (Python: f"0x{t:04x}").`;
    case "ipv4":
      return ipv4Hint(spec, have);
    case "ipv6":
      return ipv6Hint(spec, want, have);
    case "payload":
      return payloadHint(spec);
    default:
      return transportHint(spec, want, have, network?.version === 4 && network.options.length > 0);
  }
}

function ipv4Hint(spec: FrameSpec, have: string): string {
  const network = networkOf(spec);
  if (network?.version !== 4) return "ethertype 0x0800 is IPv4: decode the packet after the 14-byte Ethernet header.";
  if (!have.startsWith("ipv4")) return 'ethertype 0x0800 is IPv4: reply "ipv4 <src> > <dst> ttl=<ttl>" for the packet after the 14-byte Ethernet header.';
  if (have.startsWith(`ipv4 ${formatIpv4(network.dst)} > ${formatIpv4(network.src)}`)) return "the source address is bytes 12-15 of the IPv4 header and the destination bytes 16-19; the reply names the source first.";
  return "in the IPv4 header, the TTL is byte 8, the source address bytes 12-15, the destination bytes 16-19, each address written as four decimal numbers joined by dots.";
}

function ipv6Hint(spec: FrameSpec, want: string, have: string): string {
  const network = networkOf(spec);
  if (network?.version !== 6) return "ethertype 0x86dd is IPv6.";
  if (!have.startsWith("ipv6")) return 'ethertype 0x86dd is IPv6: reply "ipv6 <src> > <dst> hop=<hop limit>" for the 40-byte header after the Ethernet header.';
  const [, src = "", , dst = ""] = have.split(" ");
  const mistake = rfc5952Mistake(src, network.src) ?? rfc5952Mistake(dst, network.dst);
  if (mistake) {
    return `${mistake}. RFC 5952: lower case, no leading zeros in a group, the longest run of two or more zero groups written "::" (the first one on a tie), a single zero group left as 0. In Python, str(ipaddress.IPv6Address(raw)) writes exactly this (not .exploded); in Node, write the eight groups with .toString(16), then replace the longest zero run.`;
  }
  if (src === formatIpv6(network.dst) && dst === formatIpv6(network.src)) return "the source address is bytes 8-23 of the IPv6 header and the destination bytes 24-39; the reply names the source first.";
  if (want.split(" ").slice(0, 4).join(" ") === have.split(" ").slice(0, 4).join(" ")) return "the hop limit is byte 7 of the IPv6 header.";
  return "in the IPv6 header the source address is bytes 8-23 and the destination bytes 24-39, eight 16-bit groups each, in RFC 5952 form.";
}

function transportHint(spec: FrameSpec, want: string, have: string, ipv4Options: boolean): string {
  const network = networkOf(spec);
  if (!network) return "decode only what the ethertype says.";
  const transport = network.transport;
  if (ipv4Options && network.version === 4) return IHL_HINT(network.options.length, 5 + network.options.length / 4, transport.kind === "other" ? "next" : transport.kind.toUpperCase());
  const field = network.version === 4 ? "the protocol, byte 9 of the IPv4 header" : "the next header, byte 6 of the IPv6 header";
  if (layerKind(want) !== layerKind(have)) return `${field}, says what follows: 6 is tcp, 17 udp, 1 icmp, and any other number n gets "proto n" and nothing more.`;
  switch (transport.kind) {
    case "tcp": {
      const [, , , , flags = ""] = have.split(" ");
      if (want.split(" ").slice(0, 4).join(" ") === have.split(" ").slice(0, 4).join(" ") && flags !== want.split(" ")[4]) {
        return "the flags are byte 13 of the TCP header: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20. Name the set ones in that order, comma-separated, or write none; the two top bits (ECE 0x40, CWR 0x80) are not named.";
      }
      return "the source port is bytes 0-1 of the TCP header and the destination port bytes 2-3, big-endian (readUInt16BE; Python: struct.unpack('!HH', ...)).";
    }
    case "udp":
      return "the source port is bytes 0-1 of the UDP header and the destination port bytes 2-3, big-endian.";
    case "icmp":
      return "the ICMP type is byte 0 and the code byte 1 of the ICMP header: icmp type=<t> code=<c>, both in decimal.";
    case "other":
      return `${field}: any protocol other than 6, 17 and 1 gets "proto <n>" in decimal and nothing more.`;
  }
}

function payloadHint(spec: FrameSpec): string {
  const network = networkOf(spec);
  if (!network) return "payload comes only after tcp or udp.";
  const transport = network.transport;
  if (transport.kind === "tcp" && transport.options.length > 0) return DATA_OFFSET_HINT(transport.options.length, 5 + transport.options.length / 4);
  if (spec.padding.length > 0) return PADDING_HINT(spec.padding.length, network.version);
  if (network.version === 4 && network.options.length > 0) return IHL_HINT(network.options.length, 5 + network.options.length / 4, transport.kind.toUpperCase());
  return network.version === 4
    ? "payload = the IPv4 total length (bytes 2-3) minus the IPv4 header (IHL × 4) minus the transport header (TCP: data offset × 4; UDP: 8)."
    : "payload = the IPv6 payload length (bytes 4-5) minus the transport header (TCP: data offset × 4; UDP: 8).";
}
