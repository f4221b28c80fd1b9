/**
 * Writes Ethernet II frames from fields: IPv4 (options, IHL, total length
 * and header checksum filled in), IPv6, TCP (options, data offset, any flag
 * byte), UDP and ICMP (checksums over the pseudo-header filled in), or any
 * other ethertype or protocol as raw bytes. Every length and checksum is
 * computed, so a frame is what a capture would show; the checks cut it short
 * afterwards where they want a broken one.
 */

export interface FrameSpec {
  dst: Buffer;
  src: Buffer;
  /** 0x0800 with an Ipv4Spec, 0x86dd with an Ipv6Spec, anything else with raw bytes. */
  etherType: number;
  network: Ipv4Spec | Ipv6Spec | Buffer;
  /** Bytes after the IP packet: zeros up to the 60-byte Ethernet minimum, or a trailer. */
  padding: Buffer;
}

export interface Ipv4Spec {
  version: 4;
  src: Buffer;
  dst: Buffer;
  ttl: number;
  tos: number;
  id: number;
  dontFragment: boolean;
  /** A multiple of 4 bytes, at most 40: IHL is 5 + options.length / 4. */
  options: Buffer;
  transport: TransportSpec;
}

export interface Ipv6Spec {
  version: 6;
  src: Buffer;
  dst: Buffer;
  hopLimit: number;
  trafficClass: number;
  flowLabel: number;
  transport: TransportSpec;
}

export type TransportSpec = TcpSpec | UdpSpec | IcmpSpec | OtherSpec;

export interface TcpSpec {
  kind: "tcp";
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** Byte 13: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128. */
  flags: number;
  /** The low 4 bits of byte 12 (reserved, and the old NS bit): not part of the data offset. */
  reserved: number;
  window: number;
  urgent: number;
  /** A multiple of 4 bytes, at most 40: the data offset is 5 + options.length / 4. */
  options: Buffer;
  payload: Buffer;
  /** Keep only this many bytes of the segment, with the IP lengths saying so: a header cut short inside a whole packet. */
  cutTo?: number;
}

export interface UdpSpec {
  kind: "udp";
  sport: number;
  dport: number;
  payload: Buffer;
  cutTo?: number;
}

export interface IcmpSpec {
  kind: "icmp";
  type: number;
  code: number;
  /** What follows the 4-byte header: identifier and sequence, the quoted packet, ... */
  rest: Buffer;
  cutTo?: number;
}

export interface OtherSpec {
  kind: "other";
  protocol: number;
  bytes: Buffer;
}

export const PROTOCOL = { icmp: 1, tcp: 6, udp: 17 } as const;
export const ETHERTYPE = { ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806 } as const;
/** The smallest Ethernet frame, without its 4-byte frame check sequence. */
export const ETHERNET_MINIMUM = 60;

/** A named stretch of a frame's bytes, so a check can cut inside exactly one header. */
export interface Region {
  name: string;
  start: number;
  end: number;
}

export interface EncodedFrame {
  bytes: Buffer;
  regions: Region[];
}

export function protocolOf(transport: TransportSpec): number {
  return transport.kind === "other" ? transport.protocol : PROTOCOL[transport.kind];
}

/** The frame's bytes, and where each header, option block, payload and padding lies. */
export function encodeFrame(spec: FrameSpec): EncodedFrame {
  const header = Buffer.alloc(14);
  spec.dst.copy(header, 0);
  spec.src.copy(header, 6);
  header.writeUInt16BE(spec.etherType, 12);
  const regions: Region[] = [{ name: "Ethernet header", start: 0, end: 14 }];
  let packet: Buffer;
  if (Buffer.isBuffer(spec.network)) {
    packet = spec.network;
    regions.push({ name: `ethertype 0x${hex4(spec.etherType)} body`, start: 14, end: 14 + packet.length });
  } else {
    const encoded = spec.network.version === 4 ? encodeIpv4(spec.network) : encodeIpv6(spec.network);
    packet = encoded.bytes;
    regions.push(...encoded.regions.map((r) => ({ ...r, start: r.start + 14, end: r.end + 14 })));
  }
  const end = 14 + packet.length;
  if (spec.padding.length > 0) regions.push({ name: "padding", start: end, end: end + spec.padding.length });
  return { bytes: Buffer.concat([header, packet, spec.padding]), regions };
}

export function buildFrame(spec: FrameSpec): Buffer {
  return encodeFrame(spec).bytes;
}

/** Zero bytes that bring a frame of `length` bytes up to the Ethernet minimum. */
export function paddingFor(length: number): Buffer {
  return Buffer.alloc(Math.max(0, ETHERNET_MINIMUM - length));
}

function encodeIpv4(ip: Ipv4Spec): EncodedFrame {
  checkWords(ip.options, "IPv4 options");
  const headerLength = 20 + ip.options.length;
  const segment = encodeTransport(ip.transport, pseudoHeader4(ip));
  const header = Buffer.alloc(headerLength);
  header[0] = 0x40 | (headerLength / 4);
  header[1] = ip.tos;
  header.writeUInt16BE(headerLength + segment.bytes.length, 2);
  header.writeUInt16BE(ip.id, 4);
  header.writeUInt16BE(ip.dontFragment ? 0x4000 : 0, 6);
  header[8] = ip.ttl;
  header[9] = protocolOf(ip.transport);
  ip.src.copy(header, 12);
  ip.dst.copy(header, 16);
  ip.options.copy(header, 20);
  header.writeUInt16BE(internetChecksum(header), 10);
  const regions = [{ name: "IPv4 header", start: 0, end: 20 }];
  if (ip.options.length > 0) regions.push({ name: "IPv4 options", start: 20, end: headerLength });
  return { bytes: Buffer.concat([header, segment.bytes]), regions: [...regions, ...shift(segment.regions, headerLength)] };
}

function encodeIpv6(ip: Ipv6Spec): EncodedFrame {
  const segment = encodeTransport(ip.transport, (length) => pseudoHeader6(ip, length));
  const header = Buffer.alloc(40);
  header.writeUInt32BE(((6 << 28) | (ip.trafficClass << 20) | ip.flowLabel) >>> 0, 0);
  header.writeUInt16BE(segment.bytes.length, 4);
  header[6] = protocolOf(ip.transport);
  header[7] = ip.hopLimit;
  ip.src.copy(header, 8);
  ip.dst.copy(header, 24);
  return { bytes: Buffer.concat([header, segment.bytes]), regions: [{ name: "IPv6 header", start: 0, end: 40 }, ...shift(segment.regions, 40)] };
}

/** The segment with its checksum; `pseudo` gives the pseudo-header for a segment of that length. */
function encodeTransport(transport: TransportSpec, pseudo: (length: number) => Buffer): EncodedFrame {
  switch (transport.kind) {
    case "tcp":
      return cut(encodeTcp(transport, pseudo), transport.cutTo);
    case "udp":
      return cut(encodeUdp(transport, pseudo), transport.cutTo);
    case "icmp":
      return cut(encodeIcmp(transport), transport.cutTo);
    case "other":
      return { bytes: transport.bytes, regions: [{ name: `protocol ${transport.protocol} data`, start: 0, end: transport.bytes.length }] };
  }
}

function encodeTcp(tcp: TcpSpec, pseudo: (length: number) => Buffer): EncodedFrame {
  checkWords(tcp.options, "TCP options");
  const headerLength = 20 + tcp.options.length;
  const header = Buffer.alloc(headerLength);
  header.writeUInt16BE(tcp.sport, 0);
  header.writeUInt16BE(tcp.dport, 2);
  header.writeUInt32BE(tcp.seq >>> 0, 4);
  header.writeUInt32BE(tcp.ack >>> 0, 8);
  header[12] = ((headerLength / 4) << 4) | (tcp.reserved & 0x0f);
  header[13] = tcp.flags;
  header.writeUInt16BE(tcp.window, 14);
  header.writeUInt16BE(tcp.urgent, 18);
  tcp.options.copy(header, 20);
  const segment = Buffer.concat([header, tcp.payload]);
  segment.writeUInt16BE(internetChecksum(Buffer.concat([pseudo(segment.length), segment])), 16);
  const regions = [{ name: "TCP header", start: 0, end: 20 }];
  if (tcp.options.length > 0) regions.push({ name: "TCP options", start: 20, end: headerLength });
  if (tcp.payload.length > 0) regions.push({ name: "TCP payload", start: headerLength, end: segment.length });
  return { bytes: segment, regions };
}

function encodeUdp(udp: UdpSpec, pseudo: (length: number) => Buffer): EncodedFrame {
  const segment = Buffer.alloc(8 + udp.payload.length);
  segment.writeUInt16BE(udp.sport, 0);
  segment.writeUInt16BE(udp.dport, 2);
  segment.writeUInt16BE(segment.length, 4);
  udp.payload.copy(segment, 8);
  // A computed 0 is sent as 0xffff: 0 means "no checksum" in UDP.
  segment.writeUInt16BE(internetChecksum(Buffer.concat([pseudo(segment.length), segment])) || 0xffff, 6);
  const regions = [{ name: "UDP header", start: 0, end: 8 }];
  if (udp.payload.length > 0) regions.push({ name: "UDP payload", start: 8, end: segment.length });
  return { bytes: segment, regions };
}

function encodeIcmp(icmp: IcmpSpec): EncodedFrame {
  const message = Buffer.concat([Buffer.from([icmp.type, icmp.code, 0, 0]), icmp.rest]);
  message.writeUInt16BE(internetChecksum(message), 2);
  const regions = [{ name: "ICMP header", start: 0, end: 4 }];
  if (icmp.rest.length > 0) regions.push({ name: "ICMP body", start: 4, end: message.length });
  return { bytes: message, regions };
}

function pseudoHeader4(ip: Ipv4Spec): (length: number) => Buffer {
  return (length) => {
    const pseudo = Buffer.alloc(12);
    ip.src.copy(pseudo, 0);
    ip.dst.copy(pseudo, 4);
    pseudo[9] = protocolOf(ip.transport);
    pseudo.writeUInt16BE(length, 10);
    return pseudo;
  };
}

function pseudoHeader6(ip: Ipv6Spec, length: number): Buffer {
  const pseudo = Buffer.alloc(40);
  ip.src.copy(pseudo, 0);
  ip.dst.copy(pseudo, 16);
  pseudo.writeUInt32BE(length, 32);
  pseudo[39] = protocolOf(ip.transport);
  return pseudo;
}

/** The ones' complement of the ones' complement sum of 16-bit words (RFC 1071). */
export function internetChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function cut(encoded: EncodedFrame, length: number | undefined): EncodedFrame {
  if (length === undefined || length >= encoded.bytes.length) return encoded;
  const regions = encoded.regions.filter((r) => r.start < length).map((r) => ({ ...r, end: Math.min(r.end, length) }));
  return { bytes: encoded.bytes.subarray(0, length), regions };
}

function shift(regions: Region[], by: number): Region[] {
  return regions.map((r) => ({ ...r, start: r.start + by, end: r.end + by }));
}

function checkWords(options: Buffer, what: string): void {
  if (options.length % 4 !== 0 || options.length > 40) throw new Error(`${what} must be a multiple of 4 bytes, at most 40; got ${options.length}`);
}

export function hex4(value: number): string {
  return value.toString(16).padStart(4, "0");
}
