import { parseIpv6 } from "../../protocols/ipv6-text.ts";
import { Rcode, RecordType, reverseName, type Question, type RecordData, type ResourceRecord } from "../../protocols/dns-message.ts";
import { answerFrom } from "../../protocols/dns-zone.ts";

/** The types the contract names, in its order. */
export const LOOKUP_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "SOA", "PTR"] as const;
export type LookupType = (typeof LOOKUP_TYPES)[number];

/** One record as the contract prints it: an address, a name without the trailing dot, "10 mx.example.test", ... */
export function recordLine(data: RecordData): string {
  switch (data.type) {
    case "A":
    case "AAAA":
      return data.address;
    case "CNAME":
    case "NS":
    case "PTR":
      return data.name;
    case "MX":
      return `${data.preference} ${data.exchange}`;
    case "TXT":
      return data.strings.join("");
    case "SRV":
      return `${data.priority} ${data.weight} ${data.port} ${data.target}`;
    case "SOA":
      return `${data.mname} ${data.rname} ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
    case "OTHER":
      return data.bytes.toString("hex");
  }
}

/**
 * The order a learner might sort records in instead of byte order: the
 * numbers in them (addresses by value, MX by preference, SRV by priority).
 * Undefined for types with no numbers to sort by.
 */
export function numericKey(data: RecordData): number[] | undefined {
  switch (data.type) {
    case "A":
      return data.address.split(".").map(Number);
    case "AAAA":
      return [...(parseIpv6(data.address) ?? Buffer.alloc(16))];
    case "MX":
      return [data.preference];
    case "SRV":
      return [data.priority, data.weight, data.port];
    default:
      return undefined;
  }
}

export function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** JS's default sort of strings: byte order for the ASCII our zones hold. */
export const byteOrder = (lines: readonly string[]): string[] => [...lines].sort();

/** The question `<TYPE> <name>` stands for: PTR asks about the address's reverse name. */
export function questionFor(type: LookupType, name: string): Question {
  return { name: type === "PTR" ? reverseName(name) : name, type: RecordType[type], class: 1 };
}

/** What the program must do for one lookup, worked out from the zone the grader's server answers from. */
export type Outcome =
  | {
      kind: "records";
      /** The records of the asked type, in the order the server sends them. */
      records: RecordData[];
      /** What to print: their lines in byte order. */
      lines: string[];
      /** When the name is an alias: the CNAME target, whose records these are. */
      aliasOf?: string;
    }
  | { kind: "nxdomain" }
  | { kind: "nodata" };

export function expectedOutcome(zone: readonly ResourceRecord[], question: Question): Outcome {
  const { rcode, answers } = answerFrom(zone, question);
  if (rcode === Rcode.NXDOMAIN) return { kind: "nxdomain" };
  const records = answers.filter((rr) => rr.type === question.type).map((rr) => rr.data);
  if (records.length === 0) return { kind: "nodata" };
  const alias = question.type === RecordType.CNAME ? undefined : answers.find((rr) => rr.data.type === "CNAME")?.data;
  return {
    kind: "records",
    records,
    lines: byteOrder(records.map(recordLine)),
    ...(alias?.type === "CNAME" ? { aliasOf: alias.name } : {}),
  };
}
