/**
 * The zone a learner's server is graded on: random names under a random
 * domain, every record type the contract names, and a role for each name so
 * the checks know what to ask. Records keep their owner names as the zone
 * file spells them (some in mixed case); what a server must answer comes
 * from answerFrom(zone.records, question), which matches names in any case.
 *
 * Records are "plain" (one space between fields, no comment) or "messy"
 * (tabs, runs of spaces, a comment after the record): the checks before
 * "reads every line of the zone file" ask only about plain ones, so a parser
 * that splits on one space fails that check, which names its bug.
 */
import type { SeededRandom } from "../../harness/index.ts";
import { record, type RecordData, type ResourceRecord } from "../../protocols/dns-message.ts";
import { formatIpv6, ipv6 } from "../../protocols/ipv6-text.ts";
import { mixCase } from "./queries.ts";

export type LineStyle = "plain" | "messy";

export interface ZoneEntry {
  record: ResourceRecord;
  style: LineStyle;
}

/** The names the checks ask about, each without the trailing dot. */
export interface ZoneRoles {
  apex: string;
  /** Two A records and an AAAA, written in lower case. */
  host: string;
  /** One A record; the zone file spells it in mixed case. */
  mixedCase: string;
  /** The first MX exchange: one A record, no AAAA. */
  mail: string;
  /** CNAME to `host` (which has A and AAAA records). */
  alias: string;
  /** CNAME to a name outside the zone. */
  external: string;
  /** CNAME to `mail`, which has no AAAA. */
  aliasToMail: string;
  /** A and AAAA, on messy lines. */
  messyHost: string;
  /** A TXT record on a messy line, strings with runs of spaces inside. */
  messyText: string;
  /** An MX record on a messy line. */
  messyMx: string;
  /** CNAME to `host` on a messy line. */
  messyAlias: string;
  /** Names the zone does not have. */
  missing: string[];
}

export interface Zone {
  domain: string;
  entries: ZoneEntry[];
  records: ResourceRecord[];
  roles: ZoneRoles;
}

const DOMAIN_WORDS = ["harbor", "meadow", "granite", "cobalt", "juniper", "lantern", "orchid", "falcon", "summit", "willow", "ember", "quartz", "tundra", "saffron"];
const LABELS = ["www", "web", "shop", "store", "blog", "news", "docs", "wiki", "app", "portal", "api", "cdn", "static", "media", "files", "img", "ftp", "git", "vpn", "chat", "status", "beta", "lab", "intranet", "info", "lists", "support", "search", "mail", "smtp", "imap", "relay"];
/** Distinct TTLs, so a server that uses one record's TTL for another is caught too. */
const TTLS = [30, 60, 90, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 10800, 14400, 43200, 86400];
const TEXT_WORDS = ["hello", "world", "socket", "datagram", "resolver", "zone", "record", "answer", "lesson", "seven"];

export function randomZone(random: SeededRandom): Zone {
  const domain = `${random.pick(DOMAIN_WORDS)}${random.int(10, 99)}.test`;
  const labels = random.shuffle([...LABELS]);
  const ttls = random.shuffle([...TTLS]);
  let nextLabel = 0;
  let nextTtl = 0;
  const name = () => `${labels[nextLabel++]!}.${domain}`;
  const ttl = () => ttls[nextTtl++ % ttls.length]!;
  const usedV4 = new Set<string>();
  const v4 = (): RecordData => {
    let address: string;
    do address = `${random.pick(["192.0.2", "198.51.100", "203.0.113"])}.${random.int(1, 254)}`;
    while (usedV4.has(address));
    usedV4.add(address);
    return { type: "A", address };
  };
  const v6 = (): RecordData => {
    const hex = () => random.int(1, 0xffff).toString(16);
    return { type: "AAAA", address: formatIpv6(ipv6(`2001:db8:${hex()}:${random.int(0, 9)}::${hex()}`)) };
  };
  const words = (count: number) => Array.from({ length: count }, () => random.pick(TEXT_WORDS)).join(" ");

  const nsNumber = random.int(1, 8);
  const roles: ZoneRoles = {
    apex: domain,
    host: name(),
    mixedCase: name(),
    mail: name(),
    alias: name(),
    external: name(),
    aliasToMail: name(),
    messyHost: name(),
    messyText: name(),
    messyMx: name(),
    messyAlias: name(),
    missing: [`${labels[nextLabel]!}.${domain}`, `deeper.${labels[0]!}.${domain}`, `${labels[0]!}.${random.pick(DOMAIN_WORDS)}${random.int(10, 99)}.example`],
  };
  const ns1 = `ns${nsNumber}.${domain}`;
  const ns2 = `ns${nsNumber + 1}.${domain}`;
  const backupMx = `backup.${domain}`;
  const outside = `${random.pick(["cdn", "edge", "origin"])}.${random.pick(DOMAIN_WORDS)}.example`;
  // The zone file spells this owner in mixed case; everything else mostly in lower case.
  const mixedSpelling = mixCase(random, roles.mixedCase);

  const entries: ZoneEntry[] = [];
  const add = (style: LineStyle, owner: string, seconds: number, ...data: RecordData[]) => {
    for (const d of data) entries.push({ record: record(owner, seconds, d), style });
  };
  const hostTtl = ttl();
  add("plain", roles.host, hostTtl, v4(), v4());
  add("plain", roles.host, ttl(), v6());
  add("plain", mixedSpelling, ttl(), v4());
  const mxTtl = ttl();
  add("plain", domain, mxTtl, { type: "MX", preference: 10, exchange: roles.mail }, { type: "MX", preference: 20, exchange: backupMx });
  add("plain", domain, ttl(), { type: "TXT", strings: [`v=spf1 mx -all`, `${words(3)} ${random.int(100, 999)}`] });
  add("plain", domain, ttl(), { type: "NS", name: ns1 }, { type: "NS", name: ns2 });
  add("plain", roles.mail, ttl(), v4());
  add("plain", ns1, ttl(), v4());
  add("plain", roles.alias, ttl(), { type: "CNAME", name: roles.host });
  add("plain", roles.external, ttl(), { type: "CNAME", name: outside });
  add("plain", roles.aliasToMail, ttl(), { type: "CNAME", name: roles.mail });
  add("messy", mixCase(random, roles.messyHost), ttl(), v4());
  add("messy", roles.messyHost, ttl(), v6());
  add("messy", roles.messyText, ttl(), { type: "TXT", strings: [words(2), `${words(1)}  ${words(1)}  ${random.int(10, 99)}`] });
  add("messy", roles.messyMx, ttl(), { type: "MX", preference: random.int(1, 50), exchange: mixCase(random, roles.mail) });
  add("messy", roles.messyAlias, ttl(), { type: "CNAME", name: roles.host });
  return { domain, entries, records: entries.map((e) => e.record), roles };
}
