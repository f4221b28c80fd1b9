/**
 * The queries the checks send: built with the grader's codec, each with a
 * fresh random ID (never 0, so a server that always answers 0 is caught) and
 * a short description for the transcript.
 */
import type { SeededRandom } from "../../harness/index.ts";
import { CLASS_IN, defaultFlags, encodeMessage, RecordType, typeName, type ResourceRecord } from "../../protocols/dns-message.ts";

export interface Query {
  id: number;
  name: string;
  type: number;
  rd: boolean;
  opcode: number;
  bytes: Buffer;
  /** The question section as sent: a reply must echo it byte for byte. */
  questionBytes: Buffer;
  /** "query 4242: A www.example.test? (RD set)", for the transcript. */
  describe: string;
}

export interface QueryOptions {
  rd?: boolean;
  opcode?: number;
  /** An EDNS OPT record in the additional section, as dig and many resolvers send: bare, or with a client cookie like dig's. */
  edns?: "bare" | "cookie";
  id?: number;
}

export const OPCODE_NAMES = ["QUERY", "IQUERY", "STATUS", "OPCODE3", "NOTIFY", "UPDATE"];

export function randomId(random: SeededRandom): number {
  return random.int(1, 0xffff);
}

export function makeQuery(random: SeededRandom, name: string, type: number, options: QueryOptions = {}): Query {
  const id = options.id ?? randomId(random);
  const rd = options.rd ?? true;
  const opcode = options.opcode ?? 0;
  const additionals: ResourceRecord[] = options.edns ? [optRecord(random, options.edns)] : [];
  const bytes = encodeMessage({ id, flags: defaultFlags({ rd, opcode }), questions: [{ name, type, class: CLASS_IN }], answers: [], authorities: [], additionals });
  const questionEnd = 12 + nameLength(name) + 4;
  const extras = [rd ? "RD set" : "RD clear", ...(opcode === 0 ? [] : [`opcode ${opcode} ${OPCODE_NAMES[opcode] ?? ""}`.trim()]), ...(options.edns ? [options.edns === "cookie" ? "EDNS OPT with a cookie" : "EDNS OPT"] : [])];
  return {
    id,
    name,
    type,
    rd,
    opcode,
    bytes,
    questionBytes: bytes.subarray(12, questionEnd),
    describe: `query ${id}: ${typeName(type)} ${name}? (${extras.join(", ")})`,
  };
}

/** Wire length of an uncompressed name. */
export function nameLength(name: string): number {
  return name === "" ? 1 : name.split(".").reduce((sum, label) => sum + 1 + Buffer.byteLength(label, "latin1"), 1);
}

/** RFC 6891: owner root, CLASS the UDP payload size, TTL the extended flags, options in the RDATA. */
function optRecord(random: SeededRandom, kind: "bare" | "cookie"): ResourceRecord {
  const options = kind === "cookie" ? Buffer.concat([Buffer.from([0, 10, 0, 8]), random.bytes(8)]) : Buffer.alloc(0);
  return { name: "", type: RecordType.OPT, class: 1232, ttl: 0, data: { type: "OTHER", code: RecordType.OPT, bytes: options } };
}

/** `name` with its letters in random case (DNS 0x20), at least one upper-case and one lower-case letter. */
export function mixCase(random: SeededRandom, name: string): string {
  const chars = [...name.toLowerCase()];
  const letters = chars.flatMap((c, i) => (/[a-z]/.test(c) ? [i] : []));
  for (const i of letters) if (random.next() < 0.5) chars[i] = chars[i]!.toUpperCase();
  const [first, second] = letters;
  if (first !== undefined && second !== undefined) {
    if (letters.every((i) => chars[i] === chars[i]!.toLowerCase())) chars[first] = chars[first]!.toUpperCase();
    if (letters.every((i) => chars[i] !== chars[i]!.toLowerCase())) chars[second] = chars[second]!.toLowerCase();
  }
  return chars.join("");
}
