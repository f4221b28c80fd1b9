/**
 * Compares a reply's answer section with what the zone says: the same
 * records (owner names in any case, any order among records of one owner and
 * type), the CNAME first, then, when asked, the TTLs. Each difference becomes
 * a CheckFailure that names the likely bug and quotes the zone file lines
 * involved.
 */
import { CheckFailure } from "../../harness/index.ts";
import { RecordType, typeName, type ResourceRecord } from "../../protocols/dns-message.ts";
import { formatIpv6, parseIpv6 } from "../../protocols/ipv6-text.ts";
import { HINTS } from "./hints.ts";
import type { Query } from "./queries.ts";
import type { LineStyle, Zone } from "./random-zone.ts";
import { recordText, type ZoneFile } from "./zone-file.ts";

/** The zone the program serves, and the file it read it from. */
export interface GradedZone {
  zone: Zone;
  file: ZoneFile;
}

/** What identifies a record, whatever the case of its names. */
export function recordKey(rr: ResourceRecord): string {
  const data = rr.data;
  const rdata = (() => {
    switch (data.type) {
      case "A":
        return data.address;
      case "AAAA": {
        const bytes = parseIpv6(data.address);
        return bytes ? formatIpv6(bytes) : data.address;
      }
      case "CNAME":
      case "NS":
      case "PTR":
        return data.name.toLowerCase();
      case "MX":
        return `${data.preference} ${data.exchange.toLowerCase()}`;
      case "TXT":
        return JSON.stringify(data.strings);
      case "OTHER":
        return data.bytes.toString("hex");
      default:
        return JSON.stringify(data).toLowerCase();
    }
  })();
  return `${rr.name.toLowerCase()} ${rr.class} ${rr.type} ${rdata}`;
}

/** The zone file lines of the records with this owner, or of the given records. */
export function zoneLines(graded: GradedZone, records: ResourceRecord[]): string[] {
  const lines = new Map<number, string>();
  for (const rr of records) {
    const line = graded.file.lineOf.get(rr);
    if (line) lines.set(line.number, line.text);
  }
  return [...lines.entries()].sort(([a], [b]) => a - b).map(([number, text]) => `  line ${number}: ${JSON.stringify(text)}`);
}

export function ownedBy(graded: GradedZone, name: string): ResourceRecord[] {
  return graded.zone.records.filter((rr) => rr.name.toLowerCase() === name.toLowerCase());
}

export function styleOf(graded: GradedZone, records: ResourceRecord[]): LineStyle {
  return graded.zone.entries.some((e) => e.style === "messy" && records.includes(e.record)) ? "messy" : "plain";
}

/** Whether `got` holds exactly the records of `expected`, as multisets. */
function difference(expected: ResourceRecord[], got: ResourceRecord[]): { missing: ResourceRecord[]; extra: ResourceRecord[] } {
  const left = [...got];
  const missing: ResourceRecord[] = [];
  for (const want of expected) {
    const at = left.findIndex((rr) => recordKey(rr) === recordKey(want));
    if (at >= 0) left.splice(at, 1);
    else missing.push(want);
  }
  return { missing, extra: left };
}

export function expectAnswers(label: string, query: Query, got: ResourceRecord[], expected: ResourceRecord[], graded: GradedZone, checkTtl: boolean): void {
  const asked = `${typeName(query.type)} ${query.name}`;
  const show = (records: ResourceRecord[]) => (records.length === 0 ? ["  (none)"] : records.map((rr) => `  ${recordText(rr)}`));
  const expectedLines = [`${expected.length} answer${expected.length === 1 ? "" : "s"}:`, ...show(expected)];
  const context = [`the reply's answer section:`, ...show(got), "the zone file says:", ...zoneLines(graded, ownersOf(graded, expected, query))];
  const wrongClass = got.find((rr) => rr.class !== 1);
  if (wrongClass) {
    throw new CheckFailure(`[${label}] the answer ${recordText(wrongClass)} has CLASS ${wrongClass.class}, not 1 (IN)`, {
      details: context,
      expected: expectedLines,
      hint: "write CLASS 1 (IN) in every answer record, after its TYPE.",
    });
  }
  const { missing, extra } = difference(expected, got);
  if (missing.length > 0 || extra.length > 0) {
    throw new CheckFailure(`[${label}] the answers to ${asked} are not the zone's: ${explain(missing, extra, expected, got)}`, {
      details: context,
      expected: expectedLines,
      hint: hintFor(missing, extra, expected, got, graded),
    });
  }
  const cname = expected[0]?.type === RecordType.CNAME && query.type !== RecordType.CNAME;
  if (cname && got[0]?.type !== RecordType.CNAME) {
    throw new CheckFailure(`[${label}] the answers to ${asked} have the target's records before the CNAME`, { details: context, expected: expectedLines, hint: HINTS.cnameFirst });
  }
  if (!checkTtl) return;
  for (const rr of got) {
    const want = expected.find((e) => recordKey(e) === recordKey(rr))!;
    if (rr.ttl !== want.ttl) {
      throw new CheckFailure(`[${label}] the answer ${rr.name} ${typeName(rr.type)} has TTL ${rr.ttl}, but its line in the zone file says ${want.ttl}`, {
        details: ["the zone file says:", ...zoneLines(graded, [want])],
        expected: expectedLines,
        hint: HINTS.ttl,
      });
    }
  }
}

/** The records whose lines explain the expected answer: those answers, or else all the records of the question's name. */
function ownersOf(graded: GradedZone, expected: ResourceRecord[], query: Query): ResourceRecord[] {
  return expected.length > 0 ? expected : ownedBy(graded, query.name);
}

function explain(missing: ResourceRecord[], extra: ResourceRecord[], expected: ResourceRecord[], got: ResourceRecord[]): string {
  if (got.length === 0) return `the reply has no answers, the zone has ${expected.length}`;
  const cname = expected[0]?.type === RecordType.CNAME ? expected[0] : undefined;
  if (cname && got.length === 1 && recordKey(got[0]!) === recordKey(cname)) return "the reply has the CNAME but not the target's records after it";
  if (expected.length === 0) return `the zone has none, the reply has ${got.length}`;
  const sameSlots = (a: ResourceRecord, b: ResourceRecord) => a.name.toLowerCase() === b.name.toLowerCase() && a.type === b.type;
  if (missing.length === extra.length && extra.every((rr) => missing.some((m) => sameSlots(m, rr)))) {
    const slots = [...new Set(missing.map((rr) => `the ${typeName(rr.type)} data of ${rr.name}`))];
    return `${slots.join(", ")} ${slots.length === 1 && missing.length === 1 ? "differs" : "differ"} from the zone's`;
  }
  const parts = [];
  if (missing.length > 0) parts.push(`${missing.length} of the zone's ${expected.length} missing or different`);
  if (extra.length > 0) parts.push(`${extra.length} the zone does not have`);
  return parts.join(", ");
}

function hintFor(missing: ResourceRecord[], extra: ResourceRecord[], expected: ResourceRecord[], got: ResourceRecord[], graded: GradedZone): string {
  const cname = expected[0]?.type === RecordType.CNAME ? expected[0] : undefined;
  if (cname && missing.length > 0 && missing.every((rr) => rr !== cname) && extra.length === 0) return HINTS.cname;
  const txt = missing.some((rr) => rr.type === RecordType.TXT) && extra.some((rr) => rr.type === RecordType.TXT);
  if (styleOf(graded, [...missing, ...expected]) === "messy") return HINTS.zoneLines;
  if (txt) return HINTS.txt;
  if (expected.length === 0 && cname === undefined) return "answer only records whose owner name is the question's name and whose type is the asked type (or the CNAME of an alias).";
  return "look up every record whose owner name is the question's name (in any case) and whose type is the asked type, and write each one: name, TYPE, CLASS IN, TTL, RDLENGTH, RDATA.";
}
