/**
 * DNS messages (RFC 1035 section 4, AAAA from RFC 3596, SRV from RFC 2782),
 * written and read by the grader's own code: the grader's DNS server for
 * dns-lookup, and the raw-packet checks of dns-server. The reader is strict on
 * purpose: whatever a learner's server sends, it either makes sense of every
 * byte or says which byte, at which offset, is wrong.
 *
 * Names are dotted text without the trailing dot ("www.example.test"; the
 * root is ""), in the case they were sent in.
 */
import { formatIpv6, parseIpv6 } from "./ipv6-text.ts";

export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  ANY: 255,
} as const;
export type RecordTypeName = keyof typeof RecordType;

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type RcodeName = keyof typeof Rcode;

export const CLASS_IN = 1;

/** The name of a type code ("A", "MX"), or "TYPE99" for one we have no name for (RFC 3597's way). */
export function typeName(code: number): string {
  const entry = Object.entries(RecordType).find(([, value]) => value === code);
  return entry ? entry[0] : `TYPE${code}`;
}

export function rcodeName(code: number): string {
  const entry = Object.entries(Rcode).find(([, value]) => value === code);
  return entry ? entry[0] : `RCODE${code}`;
}

export type RecordData =
  | { type: "A"; address: string }
  | { type: "AAAA"; address: string }
  | { type: "CNAME" | "NS" | "PTR"; name: string }
  | { type: "MX"; preference: number; exchange: string }
  | { type: "TXT"; strings: string[] }
  | { type: "SRV"; priority: number; weight: number; port: number; target: string }
  | { type: "SOA"; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  /** Any other type, OPT included: its RDATA as it came. */
  | { type: "OTHER"; code: number; bytes: Buffer };

export interface ResourceRecord {
  name: string;
  /** The type code: for known types the same as data.type's. */
  type: number;
  class: number;
  ttl: number;
  data: RecordData;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface Flags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The three bits RFC 1035 calls Z (two of which DNSSEC later took as AD and CD). */
  z: number;
  rcode: number;
}

export interface DnsMessage {
  id: number;
  flags: Flags;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

export const HEADER_BYTES = 12;

export function defaultFlags(overrides: Partial<Flags> = {}): Flags {
  return { qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, z: 0, rcode: 0, ...overrides };
}

export function encodeFlags(flags: Flags): number {
  return (
    (flags.qr ? 0x8000 : 0) |
    ((flags.opcode & 0xf) << 11) |
    (flags.aa ? 0x0400 : 0) |
    (flags.tc ? 0x0200 : 0) |
    (flags.rd ? 0x0100 : 0) |
    (flags.ra ? 0x0080 : 0) |
    ((flags.z & 0x7) << 4) |
    (flags.rcode & 0xf)
  );
}

export function decodeFlags(word: number): Flags {
  return {
    qr: (word & 0x8000) !== 0,
    opcode: (word >> 11) & 0xf,
    aa: (word & 0x0400) !== 0,
    tc: (word & 0x0200) !== 0,
    rd: (word & 0x0100) !== 0,
    ra: (word & 0x0080) !== 0,
    z: (word >> 4) & 0x7,
    rcode: word & 0xf,
  };
}

/** A record with its type code filled in from the data. */
export function record(name: string, ttl: number, data: RecordData): ResourceRecord {
  return { name, type: data.type === "OTHER" ? data.code : RecordType[data.type], class: CLASS_IN, ttl, data };
}

/** A standard query for one name, as a stub resolver sends it. */
export function encodeQuery(id: number, name: string, type: number, options: { rd?: boolean; opcode?: number } = {}): Buffer {
  return encodeMessage({
    id,
    flags: defaultFlags({ rd: options.rd ?? true, opcode: options.opcode ?? 0 }),
    questions: [{ name, type, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** Writes a message; names are compressed (RFC 1035 4.1.4) unless `compress` is false. */
export function encodeMessage(message: DnsMessage, options: { compress?: boolean } = {}): Buffer {
  const writer = new Writer(options.compress ?? true);
  writer.u16(message.id);
  writer.u16(encodeFlags(message.flags));
  writer.u16(message.questions.length);
  writer.u16(message.answers.length);
  writer.u16(message.authorities.length);
  writer.u16(message.additionals.length);
  for (const question of message.questions) {
    writer.name(question.name);
    writer.u16(question.type);
    writer.u16(question.class);
  }
  for (const rr of [...message.answers, ...message.authorities, ...message.additionals]) writer.record(rr);
  return writer.done();
}

class Writer {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  /** Where each name suffix was written, for compression pointers. */
  private readonly offsets = new Map<string, number>();
  private readonly compress: boolean;

  constructor(compress: boolean) {
    this.compress = compress;
  }

  bytes(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  u8(value: number): void {
    this.bytes(Buffer.from([value & 0xff]));
  }

  u16(value: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(value & 0xffff);
    this.bytes(b);
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.bytes(b);
  }

  name(name: string): void {
    const labels = name === "" ? [] : name.split(".");
    if (labels.some((label) => label.length === 0)) throw new Error(`"${name}" has an empty label`);
    let wire = 1;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join(".").toLowerCase();
      const at = this.offsets.get(suffix);
      if (this.compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.length < 0x4000) this.offsets.set(suffix, this.length);
      // Names are bytes; latin1 keeps each byte as one character both ways.
      const label = Buffer.from(labels[i]!, "latin1");
      if (label.length > 63) throw new Error(`the label "${labels[i]}" is longer than 63 bytes`);
      wire += label.length + 1;
      if (wire > 255) throw new Error(`"${name}" is longer than 255 bytes`);
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }

  record(rr: ResourceRecord): void {
    this.name(rr.name);
    this.u16(rr.type);
    this.u16(rr.class);
    this.u32(rr.ttl);
    // RDLENGTH is known only after the RDATA (compressed names inside it), so write a placeholder.
    const lengthAt = this.chunks.length;
    this.u16(0);
    const start = this.length;
    this.rdata(rr.data);
    const rdlength = Buffer.alloc(2);
    rdlength.writeUInt16BE(this.length - start);
    this.chunks[lengthAt] = rdlength;
  }

  private rdata(data: RecordData): void {
    switch (data.type) {
      case "A": {
        const parts = data.address.split(".").map(Number);
        if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`"${data.address}" is not an IPv4 address`);
        this.bytes(Buffer.from(parts));
        return;
      }
      case "AAAA": {
        const bytes = parseIpv6(data.address);
        if (!bytes) throw new Error(`"${data.address}" is not an IPv6 address`);
        this.bytes(bytes);
        return;
      }
      case "CNAME":
      case "NS":
      case "PTR":
        this.name(data.name);
        return;
      case "MX":
        this.u16(data.preference);
        this.name(data.exchange);
        return;
      case "TXT":
        for (const text of data.strings) {
          const bytes = Buffer.from(text, "utf8");
          if (bytes.length > 255) throw new Error("a TXT string is longer than 255 bytes");
          this.u8(bytes.length);
          this.bytes(bytes);
        }
        return;
      case "SRV":
        this.u16(data.priority);
        this.u16(data.weight);
        this.u16(data.port);
        // RFC 2782: the target is not compressed.
        this.uncompressedName(data.target);
        return;
      case "SOA":
        this.name(data.mname);
        this.name(data.rname);
        for (const value of [data.serial, data.refresh, data.retry, data.expire, data.minimum]) this.u32(value);
        return;
      case "OTHER":
        this.bytes(data.bytes);
        return;
    }
  }

  private uncompressedName(name: string): void {
    for (const label of name === "" ? [] : name.split(".")) {
      const bytes = Buffer.from(label, "latin1");
      this.u8(bytes.length);
      this.bytes(bytes);
    }
    this.u8(0);
  }

  done(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** What is wrong with a message, and at which byte. */
export class DnsFormatError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

export interface DecodedMessage extends DnsMessage {
  /** The bytes of the question section as they came, to compare with what was asked. */
  questionBytes: Buffer;
}

/**
 * Reads a whole message. Throws DnsFormatError for anything that is not
 * well-formed: counts that promise more than is there, a bad label, a
 * compression pointer that does not point back, RDLENGTH that disagrees with
 * the RDATA, bytes left over at the end.
 */
export function decodeMessage(packet: Buffer): DecodedMessage {
  if (packet.length < HEADER_BYTES) throw new DnsFormatError(`a DNS message has a 12-byte header, but this one has only ${packet.length} bytes`, 0);
  const reader = new Reader(packet);
  const id = reader.u16();
  const flags = decodeFlags(reader.u16());
  const counts = [reader.u16(), reader.u16(), reader.u16(), reader.u16()] as const;
  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) {
    questions.push({ name: reader.name(`question ${i + 1}`), type: reader.u16("QTYPE"), class: reader.u16("QCLASS") });
  }
  const questionBytes = packet.subarray(HEADER_BYTES, reader.offset);
  const sections = ["answer", "authority", "additional"] as const;
  const [answers, authorities, additionals] = sections.map((section, s) => {
    const records: ResourceRecord[] = [];
    for (let i = 0; i < counts[s + 1]!; i++) records.push(reader.record(`${section} ${i + 1}`));
    return records;
  }) as [ResourceRecord[], ResourceRecord[], ResourceRecord[]];
  if (reader.offset !== packet.length) {
    throw new DnsFormatError(`${packet.length - reader.offset} bytes are left after the last section that the header counts (QDCOUNT ${counts[0]}, ANCOUNT ${counts[1]}, NSCOUNT ${counts[2]}, ARCOUNT ${counts[3]})`, reader.offset);
  }
  return { id, flags, questions, answers, authorities, additionals, questionBytes };
}

/** Reads only the header: for packets whose body cannot be read. */
export function decodeHeader(packet: Buffer): { id: number; flags: Flags; counts: [number, number, number, number] } | undefined {
  if (packet.length < HEADER_BYTES) return undefined;
  return {
    id: packet.readUInt16BE(0),
    flags: decodeFlags(packet.readUInt16BE(2)),
    counts: [packet.readUInt16BE(4), packet.readUInt16BE(6), packet.readUInt16BE(8), packet.readUInt16BE(10)],
  };
}

class Reader {
  offset = 0;
  private readonly packet: Buffer;

  constructor(packet: Buffer) {
    this.packet = packet;
  }

  private need(bytes: number, what: string): void {
    if (this.offset + bytes > this.packet.length) {
      throw new DnsFormatError(`the message ends before ${what}: ${bytes} more bytes were needed, ${this.packet.length - this.offset} were left`, this.offset);
    }
  }

  u8(what = "a byte"): number {
    this.need(1, what);
    return this.packet.readUInt8(this.offset++);
  }

  u16(what = "a 16-bit field"): number {
    this.need(2, what);
    const value = this.packet.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  u32(what = "a 32-bit field"): number {
    this.need(4, what);
    const value = this.packet.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  take(bytes: number, what: string): Buffer {
    this.need(bytes, what);
    const slice = this.packet.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return slice;
  }

  /** A name at the current offset, following compression pointers (which must point backwards). */
  name(what: string): string {
    const { name, end } = readName(this.packet, this.offset, what);
    this.offset = end;
    return name;
  }

  record(what: string): ResourceRecord {
    const name = this.name(`the name of ${what}`);
    const type = this.u16(`the TYPE of ${what}`);
    const klass = this.u16(`the CLASS of ${what}`);
    const ttl = this.u32(`the TTL of ${what}`);
    const rdlength = this.u16(`the RDLENGTH of ${what}`);
    this.need(rdlength, `the ${rdlength}-byte RDATA of ${what}`);
    const start = this.offset;
    const end = start + rdlength;
    const data = this.rdata(type, rdlength, end, what);
    if (this.offset !== end) {
      throw new DnsFormatError(`the RDATA of ${what} (${typeName(type)}) is ${this.offset - start} bytes long, but its RDLENGTH says ${rdlength}`, start);
    }
    return { name, type, class: klass, ttl, data };
  }

  private rdata(type: number, rdlength: number, end: number, what: string): RecordData {
    const fixed = (bytes: number) => {
      if (rdlength !== bytes) throw new DnsFormatError(`the RDATA of ${what} (${typeName(type)}) must be ${bytes} bytes, but RDLENGTH is ${rdlength}`, this.offset);
    };
    switch (type) {
      case RecordType.A:
        fixed(4);
        return { type: "A", address: [...this.take(4, "an IPv4 address")].join(".") };
      case RecordType.AAAA:
        fixed(16);
        return { type: "AAAA", address: formatIpv6(Buffer.from(this.take(16, "an IPv6 address"))) };
      case RecordType.CNAME:
      case RecordType.NS:
      case RecordType.PTR:
        return { type: typeName(type) as "CNAME" | "NS" | "PTR", name: this.name(`the RDATA of ${what}`) };
      case RecordType.MX:
        return { type: "MX", preference: this.u16("MX preference"), exchange: this.name(`the exchange of ${what}`) };
      case RecordType.TXT: {
        const strings: string[] = [];
        if (rdlength === 0) throw new DnsFormatError(`the TXT RDATA of ${what} is empty; it must hold at least one string`, this.offset);
        while (this.offset < end) {
          const length = this.u8("a TXT string length");
          if (this.offset + length > end) throw new DnsFormatError(`a TXT string of ${what} says ${length} bytes but runs past its RDATA`, this.offset - 1);
          strings.push(this.take(length, "a TXT string").toString("utf8"));
        }
        return { type: "TXT", strings };
      }
      case RecordType.SRV:
        return { type: "SRV", priority: this.u16("SRV priority"), weight: this.u16("SRV weight"), port: this.u16("SRV port"), target: this.name(`the target of ${what}`) };
      case RecordType.SOA:
        return {
          type: "SOA",
          mname: this.name(`the MNAME of ${what}`),
          rname: this.name(`the RNAME of ${what}`),
          serial: this.u32("SOA serial"),
          refresh: this.u32("SOA refresh"),
          retry: this.u32("SOA retry"),
          expire: this.u32("SOA expire"),
          minimum: this.u32("SOA minimum"),
        };
      default:
        return { type: "OTHER", code: type, bytes: Buffer.from(this.take(rdlength, `the RDATA of ${what}`)) };
    }
  }
}

/**
 * Reads a name at `start`. A pointer must point before the name that uses
 * it, which rules out loops; the whole name may not exceed 255 bytes.
 */
export function readName(packet: Buffer, start: number, what = "a name"): { name: string; end: number } {
  const labels: string[] = [];
  let offset = start;
  let end: number | undefined;
  let wireLength = 1;
  let lowestPointerTarget = start;
  for (;;) {
    if (offset >= packet.length) throw new DnsFormatError(`the message ends inside ${what}`, offset);
    const length = packet[offset]!;
    if ((length & 0xc0) === 0xc0) {
      if (offset + 1 >= packet.length) throw new DnsFormatError(`the message ends inside a compression pointer of ${what}`, offset);
      const target = packet.readUInt16BE(offset) & 0x3fff;
      if (target >= lowestPointerTarget) throw new DnsFormatError(`a compression pointer in ${what} points to byte ${target}, not back to an earlier name`, offset);
      lowestPointerTarget = target;
      end ??= offset + 2;
      offset = target;
      continue;
    }
    if ((length & 0xc0) !== 0) throw new DnsFormatError(`a label length byte of ${what} is 0x${length.toString(16)}: its top two bits must be 00 (a label) or 11 (a pointer)`, offset);
    if (length === 0) {
      end ??= offset + 1;
      break;
    }
    if (offset + 1 + length > packet.length) throw new DnsFormatError(`a ${length}-byte label of ${what} runs past the end of the message`, offset);
    wireLength += length + 1;
    if (wireLength > 255) throw new DnsFormatError(`${what} is longer than 255 bytes`, offset);
    labels.push(packet.subarray(offset + 1, offset + 1 + length).toString("latin1"));
    offset += 1 + length;
  }
  return { name: labels.join("."), end };
}

/** The name a PTR lookup asks for: 4.3.2.1.in-addr.arpa, or the nibbles of an IPv6 address under ip6.arpa. */
export function reverseName(address: string): string {
  if (address.includes(":")) {
    const bytes = parseIpv6(address);
    if (!bytes) throw new Error(`"${address}" is not an IPv6 address`);
    const nibbles = [...bytes.toString("hex")].reverse();
    return `${nibbles.join(".")}.ip6.arpa`;
  }
  return `${address.split(".").reverse().join(".")}.in-addr.arpa`;
}
