/**
 * Judges one reply to one query, in the order of a learner's likely bugs:
 * no header, the wrong ID, bytes that do not parse, QR clear, the wrong
 * RCODE, the wrong question, the wrong answers; then, for the checks that are
 * about them, the flags, the question's exact bytes and the TTLs. Every reply
 * is read strictly: a malformed one fails with the reader's reason, its
 * offset, and a hex dump with that byte marked.
 */
import { CheckFailure, describeDifference, quoteBytes } from "../../harness/index.ts";
import { answerFrom } from "../../protocols/dns-zone.ts";
import { CLASS_IN, decodeHeader, decodeMessage, DnsFormatError, Rcode, rcodeName, typeName, type DecodedMessage, type Flags, type ResourceRecord } from "../../protocols/dns-message.ts";
import { expectAnswers, ownedBy, styleOf, zoneLines, type GradedZone } from "./answers.ts";
import { hexDump } from "./hex-dump.ts";
import { HINTS } from "./hints.ts";
import type { Query } from "./queries.ts";
import { recordText } from "./zone-file.ts";

export interface Expected {
  rcode: number;
  answers: ResourceRecord[];
}

/** What a check is about, beyond the basics every check looks at. */
export interface Aspects {
  /** AA set, RD copied, RA and TC clear, opcode copied. */
  flags?: boolean;
  /** The question echoed byte for byte, case included. */
  exactQuestion?: boolean;
  ttl?: boolean;
}

/** What the zone answers to a question: answerFrom, the grader's model of an authoritative server. */
export function expectedFor(graded: GradedZone, question: { name: string; type: number }): Expected {
  return answerFrom(graded.zone.records, { name: question.name, type: question.type, class: CLASS_IN });
}

/** "NOERROR, flags qr aa rd, 2 answers": the transcript's view of a reply. */
export function describeReply(message: DecodedMessage): string {
  const counts = [`${message.answers.length} answer${message.answers.length === 1 ? "" : "s"}`];
  if (message.authorities.length > 0) counts.push(`${message.authorities.length} authority`);
  if (message.additionals.length > 0) counts.push(`${message.additionals.length} additional`);
  return `reply ${message.id}: ${rcodeName(message.flags.rcode)}, flags ${flagText(message.flags)}, ${counts.join(", ")}`;
}

export function flagText(flags: Flags): string {
  const set = (["qr", "aa", "tc", "rd", "ra"] as const).filter((f) => flags[f]);
  return set.length === 0 ? "(none)" : set.join(" ");
}

/** The expected reply in a few lines, for a failure's "expected". */
export function describeExpected(query: Query, expected: Expected, aspects: Aspects = {}): string[] {
  const flags = ["QR", "AA", ...(query.rd ? ["RD"] : [])].join(" ");
  const head = `a reply with ID ${query.id}, flags ${flags}, ${rcodeName(expected.rcode)}, the question ${aspects.exactQuestion ? "byte for byte as asked" : "echoed"}`;
  if (expected.answers.length === 0) return [`${head}, no answers`];
  return [`${head}, then ${expected.answers.length} answer${expected.answers.length === 1 ? "" : "s"}:`, ...expected.answers.map((rr) => `  ${recordText(rr)}`)];
}

/**
 * The header and the strict parse, which every reply must pass: at least 12
 * bytes, the query's ID, every byte accounted for.
 */
export function readReply(label: string, query: Query, data: Buffer, formatHint?: string): DecodedMessage {
  const header = decodeHeader(data);
  if (!header) {
    throw new CheckFailure(`[${label}] the reply is ${data.length} bytes long: a DNS message starts with a 12-byte header`, {
      details: hexDump(data),
      expected: [`a reply of at least 12 bytes starting with the query's ID ${query.id} (0x${hex16(query.id)})`],
      hint: HINTS.noReply,
    });
  }
  if (header.id !== query.id) {
    throw new CheckFailure(`[${label}] the reply's ID is ${header.id} but the query's was ${query.id}: a resolver drops a reply whose ID does not match`, {
      details: [`the query began ${hex16(query.id).replace(/(..)(..)/, "$1 $2")}, the reply began ${hex16(header.id).replace(/(..)(..)/, "$1 $2")}`],
      expected: [`the reply's first two bytes equal to the query's: ${query.id} (0x${hex16(query.id)})`],
      hint: HINTS.id,
    });
  }
  try {
    return decodeMessage(data);
  } catch (error) {
    if (!(error instanceof DnsFormatError)) throw error;
    throw new CheckFailure(`[${label}] the reply is not a well-formed DNS message: ${error.message}`, {
      details: [`the reply, ${data.length} bytes, with byte ${error.offset} in brackets:`, ...hexDump(data, error.offset)],
      expected: ["a reply whose header counts match its sections and whose every length is right, as a resolver reads it"],
      hint: formatHint ?? hintForFormatError(error),
    });
  }
}

function hintForFormatError(error: DnsFormatError): string {
  const text = error.message;
  if (/are left after the last section|ends before|ends inside the name of (answer|authority|additional)/.test(text)) return HINTS.counts;
  if (/RDLENGTH|RDATA/.test(text)) return HINTS.rdlength;
  if (/TXT/.test(text)) return HINTS.txt;
  return HINTS.names;
}

export interface JudgeOptions {
  label: string;
  graded: GradedZone;
  aspects?: Aspects;
  /** The hint for an error RCODE (FORMERR, NOTIMP, SERVFAIL, ...) where an answer was due. */
  rcodeHint?: string;
}

/** Judges a reply that must answer `query` from the zone. Returns the parsed reply. */
export function judgeReply(query: Query, data: Buffer, expected: Expected, options: JudgeOptions): DecodedMessage {
  const { label, graded } = options;
  const aspects = options.aspects ?? {};
  const reply = readReply(label, query, data);
  const expectedLines = describeExpected(query, expected, aspects);
  if (!reply.flags.qr) throw new CheckFailure(`[${label}] the reply has QR clear: it says it is a query, not a response`, { expected: expectedLines, hint: HINTS.qr });
  if (reply.flags.rcode !== expected.rcode) throw wrongRcode(label, query, reply, expected, graded, expectedLines, options.rcodeHint);
  expectQuestion(label, query, reply, expectedLines);
  expectAnswers(label, query, reply.answers, expected.answers, graded, false);
  if (aspects.flags) expectFlags(label, query, reply, expectedLines);
  if (aspects.exactQuestion && !reply.questionBytes.equals(query.questionBytes)) {
    throw new CheckFailure(`[${label}] the reply's question is not the query's byte for byte: ${JSON.stringify(reply.questions[0]?.name)} was asked as ${JSON.stringify(query.name)}`, {
      details: [`asked:    ${quoteBytes(query.questionBytes)}`, `echoed:   ${quoteBytes(reply.questionBytes)}`, ...(describeDifference(query.questionBytes, reply.questionBytes)?.split("\n") ?? [])],
      expected: [`the question section as sent: ${quoteBytes(query.questionBytes)}`],
      hint: HINTS.question,
    });
  }
  if (aspects.ttl) expectAnswers(label, query, reply.answers, expected.answers, graded, true);
  return reply;
}

function wrongRcode(label: string, query: Query, reply: DecodedMessage, expected: Expected, graded: GradedZone, expectedLines: string[], errorHint?: string): CheckFailure {
  const got = reply.flags.rcode;
  const asked = `${typeName(query.type)} ${query.name}`;
  const owned = ownedBy(graded, query.name);
  const happened = `[${label}] the reply to ${asked} says ${rcodeName(got)} (RCODE ${got}), expected ${rcodeName(expected.rcode)} (RCODE ${expected.rcode})`;
  if (expected.rcode === Rcode.NXDOMAIN) {
    return new CheckFailure(happened, { details: [`no line of the zone file has the name ${query.name}`], expected: expectedLines, hint: HINTS.nxdomain });
  }
  const zoneSays = ["the zone file says:", ...zoneLines(graded, owned)];
  if (got === Rcode.NXDOMAIN && expected.answers.length === 0) {
    return new CheckFailure(happened, { details: [`the zone has ${query.name}, with ${describeTypes(owned)} records but no ${typeName(query.type)}`, ...zoneSays], expected: expectedLines, hint: HINTS.nodata });
  }
  if (got === Rcode.NXDOMAIN) {
    const spelled = owned.find((rr) => rr.name !== query.name);
    const hint = styleOf(graded, owned) === "messy" ? HINTS.zoneLines : spelled || query.name !== query.name.toLowerCase() ? HINTS.caseInsensitive : "look the question's name up in the names you read from the zone file, without the trailing dot (or with it on both sides).";
    return new CheckFailure(happened, { details: [`the zone has ${query.name}${spelled ? ` (spelled ${spelled.name}. in the file)` : ""}`, ...zoneSays], expected: expectedLines, hint });
  }
  const hint = errorHint ?? (expected.rcode === Rcode.NOERROR ? `${rcodeName(got)} says your program could not answer: ${HINTS.noReply}` : HINTS.nxdomain);
  return new CheckFailure(happened, { details: [describeReply(reply)], expected: expectedLines, hint });
}

function describeTypes(records: ResourceRecord[]): string {
  return [...new Set(records.map((rr) => typeName(rr.type)))].join(" and ");
}

function expectQuestion(label: string, query: Query, reply: DecodedMessage, expectedLines: string[]): void {
  if (reply.questions.length !== 1) {
    throw new CheckFailure(`[${label}] the reply has ${reply.questions.length} questions (QDCOUNT ${reply.questions.length}): it must echo the query's one question`, { expected: expectedLines, hint: HINTS.question });
  }
  const q = reply.questions[0]!;
  if (q.name.toLowerCase() !== query.name.toLowerCase() || q.type !== query.type || q.class !== CLASS_IN) {
    throw new CheckFailure(`[${label}] the reply's question is ${typeName(q.type)} ${JSON.stringify(q.name)} class ${q.class}, but the query asked ${typeName(query.type)} ${JSON.stringify(query.name)} class 1`, {
      details: [`asked:    ${quoteBytes(query.questionBytes)}`, `echoed:   ${quoteBytes(reply.questionBytes)}`],
      expected: expectedLines,
      hint: HINTS.question,
    });
  }
}

function expectFlags(label: string, query: Query, reply: DecodedMessage, expectedLines: string[]): void {
  const f = reply.flags;
  const problem = (text: string, hint: string) => new CheckFailure(`[${label}] the reply to a query with RD ${query.rd ? "set" : "clear"} has flags ${flagText(f)}: ${text}`, { expected: expectedLines, hint });
  if (f.opcode !== query.opcode) throw problem(`its opcode is ${f.opcode}, the query's was ${query.opcode}`, HINTS.opcode);
  if (!f.aa) throw problem("AA is clear", HINTS.aa);
  if (f.rd !== query.rd) throw problem(`RD is ${f.rd ? "set" : "clear"}, the query's was ${query.rd ? "set" : "clear"}`, HINTS.rd);
  if (f.tc) throw problem("TC is set", HINTS.tc);
  if (f.ra) throw problem("RA is set", HINTS.ra);
}

function hex16(n: number): string {
  return n.toString(16).padStart(4, "0");
}
