// dns-server, reference solution (lesson 7).
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import net from "node:net";

const port = Number(process.env.PORT ?? 5353);
const zoneFile = process.env.ZONE_FILE;

const TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
const CNAME = 5;
const NOERROR = 0;
const FORMERR = 1;
const NXDOMAIN = 3;
const NOTIMP = 4;

interface ZoneRecord {
  type: number;
  ttl: number;
  /** The RDATA as it goes on the wire. */
  rdata: Buffer;
  /** For a CNAME: the target, lower-cased, to look it up. */
  target?: string;
}

/** Lower-case owner name without the trailing dot → its records. */
const zone = new Map<string, ZoneRecord[]>();

/** "www.example.test." → 3 www 7 example 4 test 0. */
function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, "").split(".").filter((label) => label !== "");
  return Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, "latin1")])), Buffer.from([0])]);
}

/** "2001:db8::1" → 16 bytes: the groups on each side of "::", zeros in between. */
function encodeIpv6(text: string): Buffer {
  const [head, tail] = text.split("::").map((half) => (half === "" ? [] : half.split(":")));
  const groups = tail === undefined ? head! : [...head!, ...Array<string>(8 - head!.length - tail.length).fill("0"), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), 2 * i));
  return bytes;
}

function encodeRdata(type: string, fields: string[]): Buffer {
  const [first = "", second = ""] = fields;
  switch (type) {
    case "A":
      if (!net.isIPv4(first)) throw new Error(`"${first}" is not an IPv4 address`);
      return Buffer.from(first.split(".").map(Number));
    case "AAAA":
      if (!net.isIPv6(first)) throw new Error(`"${first}" is not an IPv6 address`);
      return encodeIpv6(first);
    case "CNAME":
    case "NS":
      if (!first.endsWith(".")) throw new Error(`"${first}" is not a name ending with a dot`);
      return encodeName(first);
    case "MX": {
      if (!/^\d+$/.test(first) || !second.endsWith(".")) throw new Error("MX needs <preference> <exchange.>");
      const preference = Buffer.alloc(2);
      preference.writeUInt16BE(Number(first));
      return Buffer.concat([preference, encodeName(second)]);
    }
    case "TXT":
      if (fields.length === 0) throw new Error("TXT needs at least one quoted string");
      // Each quoted string is one character-string: a length byte, then its bytes.
      return Buffer.concat(
        fields.map((field) => {
          const text = Buffer.from(field.slice(1, -1), "utf8");
          if (!field.startsWith('"') || text.length > 255) throw new Error("TXT needs quoted strings of at most 255 bytes");
          return Buffer.concat([Buffer.from([text.length]), text]);
        }),
      );
  }
  throw new Error(`type ${type} is not one this server serves (A AAAA CNAME MX TXT NS)`);
}

/** Reads `<name> <ttl> IN <type> <rdata>` lines; exits with a message on any line it cannot read. */
function loadZone(file: string): void {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  lines.forEach((line, i) => {
    // A quoted string, a comment (to the end of the line), or a run of anything else but spaces:
    // split on any run of spaces or tabs, keep "hello world" whole, drop "; ..." (ours never hide a ";" in quotes).
    const fields: string[] = [];
    for (const [token] of line.matchAll(/"[^"]*"|;.*|[^\s";]+/g)) {
      if (token.startsWith(";")) break;
      fields.push(token);
    }
    if (fields.length === 0) return;
    const [name, ttl, klass, type, ...rdata] = fields;
    try {
      if (klass !== "IN" || !/^\d+$/.test(ttl ?? "") || type === undefined) throw new Error("expected <name> <ttl> IN <type> <rdata>");
      const record: ZoneRecord = { type: TYPES[type] ?? 0, ttl: Number(ttl), rdata: encodeRdata(type, rdata) };
      if (type === "CNAME") record.target = rdata[0]!.replace(/\.$/, "").toLowerCase();
      const owner = name!.replace(/\.$/, "").toLowerCase();
      zone.set(owner, [...(zone.get(owner) ?? []), record]);
    } catch (error) {
      console.error(`error: ${file}, line ${i + 1}: ${(error as Error).message}: ${line}`);
      process.exit(1);
    }
  });
}

/** The question's name at offset 12, as plain labels (no pointers), or undefined if it is malformed. */
function readQuestionName(packet: Buffer): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    if (offset >= packet.length) return undefined;
    const length = packet[offset]!;
    if (length === 0) break;
    // 64 and up is a pointer (0xC0) or a reserved label type: not allowed in a question here.
    if (length > 63 || offset + 1 + length > packet.length) return undefined;
    labels.push(packet.toString("latin1", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  const end = offset + 1;
  if (end - 12 > 255) return undefined;
  return { name: labels.join("."), end };
}

/** Records to answer, following a CNAME (a few hops at most, so a loop in the zone cannot hang us). */
function lookUp(name: string, qtype: number): { rcode: number; answers: { owner: string; record: ZoneRecord }[] } {
  if (!zone.has(name)) return { rcode: NXDOMAIN, answers: [] };
  const answers: { owner: string; record: ZoneRecord }[] = [];
  let owner = name;
  for (let hop = 0; hop < 8; hop++) {
    const records = zone.get(owner) ?? [];
    const matching = records.filter((r) => r.type === qtype);
    const alias = records.find((r) => r.type === CNAME);
    if (matching.length > 0 || !alias || qtype === CNAME) {
      answers.push(...matching.map((record) => ({ owner, record })));
      break;
    }
    answers.push({ owner, record: alias });
    owner = alias.target!;
  }
  return { rcode: NOERROR, answers };
}

function header(id: number, opcode: number, rd: number, rcode: number, qdcount: number, ancount: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(id, 0);
  // QR=1, the opcode copied, AA=1, RD copied, RA=0.
  bytes.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | rd | rcode, 2);
  bytes.writeUInt16BE(qdcount, 4);
  bytes.writeUInt16BE(ancount, 6);
  return bytes; // NSCOUNT and ARCOUNT stay 0.
}

/** The reply to one packet, or undefined for a packet that gets none. Never throws. */
function answer(query: Buffer): Buffer | undefined {
  if (query.length < 12) return undefined; // not even a header: nothing to answer
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  const opcode = (flags >> 11) & 0xf;
  const rd = flags & 0x0100;
  if (opcode !== 0) return header(id, opcode, rd, NOTIMP, 0, 0);
  const question = query.readUInt16BE(4) === 1 ? readQuestionName(query) : undefined;
  if (!question || question.end + 4 > query.length) return header(id, opcode, rd, FORMERR, 0, 0);
  const qtype = query.readUInt16BE(question.end);
  const { rcode, answers } = lookUp(question.name.toLowerCase(), qtype);
  const records = answers.map(({ owner, record }) => {
    // The question's name is at byte 12: point there (0xC00C) instead of writing it again.
    const name = owner === question.name.toLowerCase() ? Buffer.from([0xc0, 0x0c]) : encodeName(owner);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(record.type, 0);
    fixed.writeUInt16BE(1, 2); // class IN
    fixed.writeUInt32BE(record.ttl, 4);
    fixed.writeUInt16BE(record.rdata.length, 8);
    return Buffer.concat([name, fixed, record.rdata]);
  });
  // The question goes back byte for byte, in the case it was asked.
  return Buffer.concat([header(id, opcode, rd, rcode, 1, records.length), query.subarray(12, question.end + 4), ...records]);
}

if (!zoneFile) {
  console.error("error: set ZONE_FILE to the zone to serve, e.g. ZONE_FILE=exercises/07-dns/example.zone");
  process.exit(1);
}
try {
  loadZone(zoneFile);
} catch (error) {
  console.error(`error: cannot read the zone file ${zoneFile}: ${(error as Error).message}`);
  process.exit(1);
}

const socket = dgram.createSocket("udp4");
socket.on("error", (error) => console.error(`socket error: ${error.message}`));
socket.on("message", (query, sender) => {
  const reply = answer(query);
  // Reply from this socket, to whoever asked: resolvers only accept replies from the port they queried.
  if (reply) socket.send(reply, sender.port, sender.address);
});
socket.bind(port, "127.0.0.1", () => {
  console.log(`dns-server listening on 127.0.0.1:${port} (UDP), ${zone.size} names from ${zoneFile}`);
});
