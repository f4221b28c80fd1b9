/**
 * Writes a zone in the contract's master-file subset: `<name> <ttl> IN
 * <type> <rdata>` a line, names with a trailing dot, `;` comments on their
 * own lines and after records, blank lines. Plain records get one space
 * between fields; messy ones get tabs, runs of spaces and a trailing comment.
 * The text of each record's line is kept, so a failure can quote the line a
 * server read wrong.
 */
import type { SeededRandom } from "../../harness/index.ts";
import { typeName, type ResourceRecord } from "../../protocols/dns-message.ts";
import type { Zone, ZoneEntry } from "./random-zone.ts";

export interface ZoneFile {
  text: string;
  /** 1-based line number and text of each record's line. */
  lineOf: Map<ResourceRecord, { number: number; text: string }>;
}

const SEPARATORS = ["\t", "\t\t", "   ", " \t", "  ", "\t "];
const COMMENTS = ["the web front", "moved here in March", "ask ops before changing", "TODO: drop after the migration", "keep in sync with the A record", "checked by hand"];

/** Rdata in master-file form: names with their trailing dot, TXT strings quoted. */
export function rdataText(rr: ResourceRecord, separator = " "): string {
  const data = rr.data;
  switch (data.type) {
    case "A":
    case "AAAA":
      return data.address;
    case "CNAME":
    case "NS":
    case "PTR":
      return `${data.name}.`;
    case "MX":
      return `${data.preference}${separator}${data.exchange}.`;
    case "TXT":
      return data.strings.map((s) => `"${s}"`).join(separator);
    case "SRV":
      return `${data.priority} ${data.weight} ${data.port} ${data.target}.`;
    case "SOA":
      return `${data.mname}. ${data.rname}. ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
    case "OTHER":
      return `\\# ${data.bytes.length} ${data.bytes.toString("hex")}`;
  }
}

/** One record as the zone file (and dig) shows it: `www.example.test. 300 IN A 192.0.2.1`. */
export function recordText(rr: ResourceRecord): string {
  return `${rr.name}. ${rr.ttl} IN ${typeName(rr.type)} ${rdataText(rr)}`;
}

function recordLine(random: SeededRandom, entry: ZoneEntry): string {
  const rr = entry.record;
  if (entry.style === "plain") return recordText(rr);
  const sep = () => random.pick(SEPARATORS);
  const fields = [`${rr.name}.`, String(rr.ttl), "IN", typeName(rr.type), rdataText(rr, sep())];
  // Always at least one tab, after the name.
  const line = fields.map((field, i) => (i === 0 ? field : `${i === 1 ? random.pick(["\t", "\t\t", " \t"]) : sep()}${field}`)).join("");
  return `${line}${random.pick([" ", "\t", "  "])}; ${random.pick(COMMENTS)}`;
}

export function writeZoneFile(random: SeededRandom, zone: Zone): ZoneFile {
  const lines = [
    `; The zone ${zone.domain}, made up by the socketlings grader for this run.`,
    "; One record a line: <name> <ttl> IN <type> <rdata>. Comments start with a semicolon.",
    "",
  ];
  const lineOf = new Map<ResourceRecord, { number: number; text: string }>();
  let previous: ZoneEntry | undefined;
  for (const entry of zone.entries) {
    const owner = entry.record.name.toLowerCase();
    // A line of nothing but spaces and tabs is blank too.
    if (entry.style === "messy" && previous?.style === "plain") lines.push(random.pick([" \t", "\t", "   "]));
    else if (owner !== previous?.record.name.toLowerCase() && random.next() < 0.4) lines.push(random.pick(["", "; ----", `; ${owner.split(".")[0]}`, ""]));
    previous = entry;
    const text = recordLine(random, entry);
    lines.push(text);
    lineOf.set(entry.record, { number: lines.length, text });
  }
  lines.push("", "; end of zone");
  return { text: `${lines.join("\n")}\n`, lineOf };
}
