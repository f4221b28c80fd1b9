/**
 * Frame specs from seeded random values, shaped like real traffic: MACs and
 * addresses from the usual ranges, TCP options a stack would send (MSS,
 * SACK, timestamps, window scale), IPv4 options (record route, router alert),
 * ICMP messages with their bodies. Same seed, same frames.
 */
import type { SeededRandom } from "../../harness/index.ts";
import { ipv4, mac } from "./frame-describer.ts";
import { ETHERTYPE, paddingFor, encodeFrame, type FrameSpec, type Ipv4Spec, type Ipv6Spec, type TransportSpec, type TcpSpec, type IcmpSpec } from "./packet-builder.ts";
import { ipv6 } from "../../protocols/ipv6-text.ts";

/**
 * The SYN of the exercise's example, as the lesson gives it: 20 bytes of TCP
 * options (MSS, SACK permitted, timestamps, NOP, window scale), so its IP
 * packet holds 40 bytes after the IPv4 header and its payload is 0.
 */
export function lessonExample(): FrameSpec {
  return exampleSyn(Buffer.from("020405b40402080a0a1b2c3d0000000001030307", "hex"));
}

/** The same SYN without TCP options: the example's reply, before options come up. */
export function plainExample(): FrameSpec {
  return exampleSyn(Buffer.alloc(0));
}

function exampleSyn(options: Buffer): FrameSpec {
  const tcp: TcpSpec = { kind: "tcp", sport: 51512, dport: 80, seq: 0x3b9aca00, ack: 0, flags: 0x02, reserved: 0, window: 64240, urgent: 0, options, payload: Buffer.alloc(0) };
  const network: Ipv4Spec = { version: 4, src: ipv4("192.168.1.10"), dst: ipv4("93.184.216.34"), ttl: 64, tos: 0, id: 0x1c46, dontFragment: true, options: Buffer.alloc(0), transport: tcp };
  return { dst: mac("66:77:88:99:aa:bb"), src: mac("00:1a:2b:3c:4d:5e"), etherType: ETHERTYPE.ipv4, network, padding: Buffer.alloc(0) };
}

export interface FrameShape {
  ip: 4 | 6;
  transport: "tcp" | "udp" | "icmp" | "other";
  /** IPv4 only: how many bytes of options (a multiple of 4, up to 40); 0 for none. */
  ipOptions?: number;
  /** TCP only: how many bytes of options (a multiple of 4, up to 40); 0 for none. */
  tcpOptions?: number;
  /** TCP only: the flag byte; random when left out. */
  flags?: number;
  payload?: number;
  /** Pad the frame to the 60-byte Ethernet minimum. */
  pad?: boolean;
}

export function randomMac(random: SeededRandom): Buffer {
  const mac = random.bytes(6);
  // Mostly unicast addresses; a low byte shows whether each byte keeps its leading zero.
  mac[0] = mac[0]! & 0xfe;
  mac[random.int(1, 5)] = random.int(0, 15);
  return mac;
}

export function randomIpv4(random: SeededRandom): Buffer {
  switch (random.int(0, 3)) {
    case 0:
      return Buffer.from([10, random.int(0, 255), random.int(0, 255), random.int(1, 254)]);
    case 1:
      return Buffer.from([192, 168, random.int(0, 9), random.int(1, 254)]);
    case 2:
      return Buffer.from([172, random.int(16, 31), random.int(0, 255), random.int(1, 254)]);
    default:
      return Buffer.from([random.int(1, 223), random.int(0, 255), random.int(0, 255), random.int(0, 255)]);
  }
}

/**
 * IPv6 addresses with plenty of zero groups (link-local, documentation,
 * multicast, and sparse random ones), never in ::/96 or ::ffff:0:0/96, whose
 * text forms differ between libraries.
 */
export function randomIpv6(random: SeededRandom): Buffer {
  const group = () => (random.next() < 0.3 ? random.int(1, 15) : random.int(1, 0xffff));
  const sparse = () => (random.next() < 0.45 ? 0 : group());
  const groups: number[] = (() => {
    switch (random.int(0, 4)) {
      case 0:
        return [0xfe80, 0, 0, 0, sparse(), sparse(), sparse(), group()];
      case 1:
        return [0x2001, 0xdb8, sparse(), sparse(), sparse(), sparse(), sparse(), group()];
      case 2:
        return [0xff02, 0, 0, 0, 0, random.pick([0, 1]), random.pick([0, 0xff00 | random.int(0, 255)]), random.int(1, 0xffff)];
      case 3:
        return [random.pick([0x2001, 0x2a00, 0x2600, 0xfd00 | random.int(0, 255)]), group(), sparse(), sparse(), sparse(), sparse(), sparse(), sparse()];
      default:
        return [group(), ...Array.from({ length: 7 }, sparse)];
    }
  })();
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  return out;
}

export function randomPort(random: SeededRandom): number {
  return random.next() < 0.35 ? random.pick([22, 25, 53, 80, 123, 443, 993, 5353, 8080]) : random.int(1024, 65535);
}

function randomTtl(random: SeededRandom): number {
  return random.next() < 0.6 ? random.pick([64, 128, 255, 63, 127, 1]) : random.int(1, 255);
}

/** TCP options as a stack sends them, padded with NOP and EOL to `length` bytes (a multiple of 4). */
export function tcpOptions(random: SeededRandom, length: number): Buffer {
  const menu = [
    () => [2, 4, 0x05, random.pick([0xb4, 0x78, 0xa0])], // MSS 1460, 1400, 1440
    () => [4, 2], // SACK permitted
    () => [8, 10, ...random.bytes(8)], // timestamps
    () => [3, 3, random.int(0, 14)], // window scale
    () => [1], // NOP
    () => [5, 10, ...random.bytes(8)], // one SACK block
  ];
  return fillOptions(random, menu, length);
}

/** IPv4 options (router alert, record route, timestamp), padded to `length` bytes. */
export function ipv4Options(random: SeededRandom, length: number): Buffer {
  const menu = [
    () => [148, 4, 0, 0], // router alert
    () => [7, 7, 4, ...random.bytes(4)], // record route, one address
    () => [68, 8, 5, 0, ...random.bytes(4)], // timestamp, one entry
    () => [1], // NOP
  ];
  return fillOptions(random, menu, length);
}

function fillOptions(random: SeededRandom, menu: (() => number[])[], length: number): Buffer {
  if (length % 4 !== 0 || length > 40) throw new Error(`options must be a multiple of 4 bytes, at most 40: ${length}`);
  const bytes: number[] = [];
  for (let tries = 0; tries < 20 && bytes.length < length; tries++) {
    const option = random.pick(menu)();
    if (bytes.length + option.length <= length) bytes.push(...option);
  }
  // NOPs to fill, an end-of-options byte where there is room: both are what real stacks pad with.
  while (bytes.length < length) bytes.push(bytes.length === length - 1 ? 0 : 1);
  return Buffer.from(bytes);
}

export function randomTcp(random: SeededRandom, shape: Pick<FrameShape, "tcpOptions" | "flags" | "payload"> = {}): TcpSpec {
  return {
    kind: "tcp",
    sport: randomPort(random),
    dport: randomPort(random),
    seq: random.int(0, 0xffffffff),
    ack: random.int(0, 0xffffffff),
    flags: shape.flags ?? random.pick([0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x19]),
    reserved: 0,
    window: random.int(0, 0xffff),
    urgent: 0,
    options: tcpOptions(random, shape.tcpOptions ?? 0),
    payload: random.bytes(shape.payload ?? random.pick([0, 0, random.int(1, 16), random.int(1, 120)])),
  };
}

export function randomTransport(random: SeededRandom, shape: FrameShape): TransportSpec {
  switch (shape.transport) {
    case "tcp":
      return randomTcp(random, shape);
    case "udp":
      return { kind: "udp", sport: randomPort(random), dport: randomPort(random), payload: random.bytes(shape.payload ?? random.int(0, 120)) };
    case "icmp":
      return randomIcmp(random);
    case "other": {
      const protocol = shape.ip === 4 ? random.pick([2, 4, 41, 47, 50, 89, 132]) : random.pick([0, 43, 44, 58, 59, 89, 132]);
      return { kind: "other", protocol, bytes: random.bytes(protocol === 59 ? 0 : random.int(8, 64)) };
    }
  }
}

/** Echo request and reply, destination unreachable, time exceeded, redirect: with their bodies. */
export function randomIcmp(random: SeededRandom): IcmpSpec {
  const [type, code] = random.pick([[8, 0], [0, 0], [3, random.int(0, 15)], [11, random.int(0, 1)], [5, 1], [13, 0]] as const);
  const echo = type === 8 || type === 0 || type === 13;
  const rest = echo ? random.bytes(4 + random.pick([0, 8, 56])) : random.bytes(4 + 28);
  return { kind: "icmp", type, code, rest };
}

export function randomIpv4Packet(random: SeededRandom, transport: TransportSpec, optionBytes = 0): Ipv4Spec {
  return {
    version: 4,
    src: randomIpv4(random),
    dst: randomIpv4(random),
    ttl: randomTtl(random),
    tos: random.pick([0, 0, 0x10, 0xb8]),
    id: random.int(0, 0xffff),
    dontFragment: random.next() < 0.7,
    options: ipv4Options(random, optionBytes),
    transport,
  };
}

export function randomIpv6Packet(random: SeededRandom, transport: TransportSpec): Ipv6Spec {
  return {
    version: 6,
    src: random.next() < 0.05 ? ipv6("::") : randomIpv6(random),
    dst: randomIpv6(random),
    hopLimit: randomTtl(random),
    trafficClass: random.pick([0, 0, 0xb8]),
    flowLabel: random.int(0, 0xfffff),
    transport,
  };
}

/** An Ethernet frame around `network`, unpadded (as captured on the sending host) unless asked. */
export function frameAround(random: SeededRandom, network: Ipv4Spec | Ipv6Spec, pad = false): FrameSpec {
  const spec: FrameSpec = {
    dst: randomMac(random),
    src: randomMac(random),
    etherType: network.version === 4 ? ETHERTYPE.ipv4 : ETHERTYPE.ipv6,
    network,
    padding: Buffer.alloc(0),
  };
  return pad ? { ...spec, padding: paddingFor(encodeFrame(spec).bytes.length) } : spec;
}

export function randomFrame(random: SeededRandom, shape: FrameShape): FrameSpec {
  const transport = randomTransport(random, shape);
  const network = shape.ip === 4 ? randomIpv4Packet(random, transport, shape.ipOptions ?? 0) : randomIpv6Packet(random, transport);
  return frameAround(random, network, shape.pad);
}

/** An ARP request or reply: the 28-byte body, padded to the Ethernet minimum or not. */
export function arpFrame(random: SeededRandom, pad = false): FrameSpec {
  const request = random.next() < 0.5;
  const sender = randomMac(random);
  const target = request ? Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) : randomMac(random);
  const body = Buffer.concat([
    Buffer.from([0, 1, 8, 0, 6, 4, 0, request ? 1 : 2]),
    sender,
    randomIpv4(random),
    request ? Buffer.alloc(6) : target,
    randomIpv4(random),
  ]);
  return { dst: target, src: sender, etherType: ETHERTYPE.arp, network: pad ? Buffer.concat([body, Buffer.alloc(18)]) : body, padding: Buffer.alloc(0) };
}

/** LLDP, VLAN, Wake-on-LAN, MPLS, MACsec, or any number that is not IPv4 or IPv6. */
export function randomOtherEtherType(random: SeededRandom): number {
  const known = [0x88cc, 0x8100, 0x0842, 0x8847, 0x88e5, 0x8035, 0x9000];
  for (;;) {
    const type = random.next() < 0.6 ? random.pick(known) : random.int(0, 0xffff);
    if (type !== ETHERTYPE.ipv4 && type !== ETHERTYPE.ipv6) return type;
  }
}

/** A frame of an ethertype that is neither IPv4 nor IPv6, with a body of at least 46 bytes. */
export function otherEtherTypeFrame(random: SeededRandom, etherType: number): FrameSpec {
  return { dst: randomMac(random), src: randomMac(random), etherType, network: random.bytes(random.int(46, 120)), padding: Buffer.alloc(0) };
}

/** Any kind of frame at all, for the mixed checks: every shape the earlier checks use. */
export function anyFrame(random: SeededRandom): FrameSpec {
  const roll = random.next();
  if (roll < 0.06) return arpFrame(random, random.next() < 0.5);
  if (roll < 0.1) return otherEtherTypeFrame(random, randomOtherEtherType(random));
  const ip = random.next() < 0.65 ? 4 : 6;
  const transport = random.pick(["tcp", "tcp", "tcp", "udp", "udp", "icmp", "other"] as const);
  return randomFrame(random, {
    ip,
    transport,
    ipOptions: ip === 4 && random.next() < 0.3 ? 4 * random.int(1, 10) : 0,
    tcpOptions: random.next() < 0.5 ? 4 * random.int(1, 10) : 0,
    flags: random.int(0, 255),
    pad: random.next() < 0.5,
    // Now and then a full-size segment: a long line that may well arrive in several chunks.
    ...(random.next() < 0.08 ? { payload: random.int(1000, 1400) } : {}),
  });
}
