/**
 * The reference answer: what a correct decoder replies to a frame, worked out
 * from the fields the frame was built from (not by parsing its bytes, which
 * is the learner's job), and a few words saying what the frame is.
 */
import { ETHERTYPE, encodeFrame, hex4, type FrameSpec, type Ipv4Spec, type Ipv6Spec, type Region, type TransportSpec } from "./packet-builder.ts";
import { formatIpv6 } from "../../protocols/ipv6-text.ts";

/** A reply line the program must send exactly, or any "error: <reason>" line, for the reason given. */
export type Expectation = { kind: "reply"; line: string } | { kind: "error"; why: string };

const FLAG_NAMES = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"] as const;

/** "FIN,ACK", or "none": only the six flags the contract names, in its order. */
export function flagNames(flags: number): string {
  const set = FLAG_NAMES.filter((_, bit) => flags & (1 << bit));
  return set.length > 0 ? set.join(",") : "none";
}

export function formatMac(mac: Buffer): string {
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

export function formatIpv4(address: Buffer): string {
  return [...address].join(".");
}

export function ipv4(text: string): Buffer {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return Buffer.from(parts);
}

export function mac(text: string): Buffer {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(text)) throw new Error(`not a MAC address: ${text}`);
  return Buffer.from(text.replaceAll(":", ""), "hex");
}

/** The reply a correct decoder gives to the whole frame built from `spec`. */
export function expectedReply(spec: FrameSpec): Expectation {
  const layers = [`eth ${formatMac(spec.src)} > ${formatMac(spec.dst)}`];
  const network = networkOf(spec);
  if (!network) return { kind: "reply", line: [...layers, `type 0x${hex4(spec.etherType)}`].join(" | ") };
  layers.push(
    network.version === 4
      ? `ipv4 ${formatIpv4(network.src)} > ${formatIpv4(network.dst)} ttl=${network.ttl}`
      : `ipv6 ${formatIpv6(network.src)} > ${formatIpv6(network.dst)} hop=${network.hopLimit}`,
  );
  const transport = transportLayers(network.transport);
  if (transport.kind === "error") return transport;
  return { kind: "reply", line: [...layers, ...transport.layers].join(" | ") };
}

/** The frame cut to its first `length` bytes, and what a correct decoder says to that. */
export function cutFrame(spec: FrameSpec, length: number): { bytes: Buffer; expectation: Expectation; region: string } {
  const { bytes, regions } = encodeFrame(spec);
  const region = regionAt(regions, length);
  const whole = { bytes: bytes.subarray(0, length), region: region?.name ?? "nothing" };
  // Cutting the padding, or the body of an ethertype nobody decodes, leaves every header whole.
  if (!region || region.name === "padding" || (length >= 14 && !networkOf(spec))) return { ...whole, expectation: expectedReply(spec) };
  return { ...whole, expectation: { kind: "error", why: `the frame is cut short ${cutDescription(spec, region, length)}` } };
}

/** "a frame of 66 bytes: IPv4 with 8 bytes of options (IHL 7), TCP SYN,ACK with 12 bytes of options (data offset 8), 0 bytes of payload". */
export function explainFrame(spec: FrameSpec): string {
  const network = networkOf(spec);
  const parts: string[] = [];
  if (!network) {
    parts.push(spec.etherType === ETHERTYPE.arp ? "ARP (ethertype 0x0806)" : `ethertype 0x${hex4(spec.etherType)}`);
  } else {
    if (network.version === 4) {
      const ihl = 5 + network.options.length / 4;
      parts.push(network.options.length > 0 ? `IPv4 with ${network.options.length} bytes of options (IHL ${ihl})` : "IPv4");
    } else {
      parts.push("IPv6");
    }
    parts.push(...explainTransport(network.transport));
  }
  if (spec.padding.length > 0) {
    const zeros = spec.padding.every((b) => b === 0);
    parts.push(`then ${spec.padding.length} bytes of ${zeros ? "Ethernet padding" : "trailer"} after the IP packet`);
  }
  return `a frame of ${encodeFrame(spec).bytes.length} bytes: ${parts.join(", ")}`;
}

export function networkOf(spec: FrameSpec): Ipv4Spec | Ipv6Spec | undefined {
  if (Buffer.isBuffer(spec.network)) {
    if (spec.etherType === ETHERTYPE.ipv4 || spec.etherType === ETHERTYPE.ipv6) throw new Error("an IP ethertype needs an IP packet spec");
    return undefined;
  }
  const wanted = spec.network.version === 4 ? ETHERTYPE.ipv4 : ETHERTYPE.ipv6;
  if (spec.etherType !== wanted) throw new Error(`an IPv${spec.network.version} packet needs ethertype 0x${hex4(wanted)}`);
  return spec.network;
}

function transportLayers(transport: TransportSpec): { kind: "layers"; layers: string[] } | { kind: "error"; why: string } {
  switch (transport.kind) {
    case "tcp": {
      const headerLength = 20 + transport.options.length;
      const length = Math.min(transport.cutTo ?? Infinity, headerLength + transport.payload.length);
      if (length < 20) return { kind: "error", why: `the TCP header is cut short: the IP packet holds ${length} of its 20 bytes` };
      if (length < headerLength) return { kind: "error", why: `the TCP options are cut short: the data offset says ${headerLength} bytes, the IP packet holds ${length}` };
      return { kind: "layers", layers: [`tcp ${transport.sport} > ${transport.dport} flags=${flagNames(transport.flags)}`, `payload ${length - headerLength}`] };
    }
    case "udp": {
      const length = Math.min(transport.cutTo ?? Infinity, 8 + transport.payload.length);
      if (length < 8) return { kind: "error", why: `the UDP header is cut short: the IP packet holds ${length} of its 8 bytes` };
      return { kind: "layers", layers: [`udp ${transport.sport} > ${transport.dport}`, `payload ${length - 8}`] };
    }
    case "icmp": {
      const length = Math.min(transport.cutTo ?? Infinity, 4 + transport.rest.length);
      if (length < 4) return { kind: "error", why: `the ICMP header is cut short: the IP packet holds ${length} of its 4 bytes` };
      return { kind: "layers", layers: [`icmp type=${transport.type} code=${transport.code}`] };
    }
    case "other":
      return { kind: "layers", layers: [`proto ${transport.protocol}`] };
  }
}

function explainTransport(transport: TransportSpec): string[] {
  const cut = "cutTo" in transport && transport.cutTo !== undefined ? ` cut to ${transport.cutTo} bytes (the IP length says so too)` : "";
  switch (transport.kind) {
    case "tcp": {
      const options = transport.options.length > 0 ? ` with ${transport.options.length} bytes of options (data offset ${5 + transport.options.length / 4})` : "";
      return [`TCP ${flagNames(transport.flags)}${options}${cut}`, ...(cut ? [] : [`${transport.payload.length} bytes of payload`])];
    }
    case "udp":
      return [`UDP${cut}`, ...(cut ? [] : [`${transport.payload.length} bytes of payload`])];
    case "icmp":
      return [`ICMP type ${transport.type} code ${transport.code}${cut}`];
    case "other":
      return [`protocol ${transport.protocol}${PROTOCOL_NAMES[transport.protocol] ? ` (${PROTOCOL_NAMES[transport.protocol]})` : ""}`];
  }
}

const PROTOCOL_NAMES: Record<number, string> = { 0: "IPv6 hop-by-hop options", 2: "IGMP", 4: "IP in IP", 41: "IPv6 in IPv4", 43: "IPv6 routing header", 44: "IPv6 fragment header", 47: "GRE", 50: "ESP", 58: "ICMPv6", 59: "no next header", 89: "OSPF", 132: "SCTP" };

function regionAt(regions: Region[], offset: number): Region | undefined {
  return regions.find((r) => offset >= r.start && offset < r.end);
}

function cutDescription(spec: FrameSpec, region: Region, length: number): string {
  const network = networkOf(spec);
  const inside = `after ${length} bytes, inside the ${region.name}`;
  if (!network || region.name.endsWith("header") || region.name.endsWith("options")) return inside;
  // The cut falls after the headers: the IP length field claims bytes the frame does not have.
  const packetLength = encodeFrame({ ...spec, padding: Buffer.alloc(0) }).bytes.length - 14;
  const field = network.version === 4 ? "IPv4 total length" : "IPv6 header plus its payload length";
  return `${inside}: the ${field} says ${packetLength} bytes, the frame holds ${length - 14} after the Ethernet header`;
}
