import type { SeededRandom } from "../../harness/index.ts";
import { formatIpv6, parseIpv6 } from "../../protocols/ipv6-text.ts";
import { record, reverseName, type RecordData, type ResourceRecord } from "../../protocols/dns-message.ts";
import { byteOrder, compareKeys, numericKey, recordLine } from "./expected-output.ts";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC = `${LETTERS}0123456789`;
const BASE64 = `ABCDEFGHIJKLMNOPQRSTUVWXYZ${LETTERS}0123456789+/`;

/**
 * A zone of names and values made up from the check's seed, so that no run
 * can be answered from memory: names like k7qf.lab-3.test, addresses in the
 * private and documentation ranges. Records of one name and type are put in
 * an order that is neither byte order nor numeric order, so a program that
 * prints them as the server sent them, or sorts them as numbers, shows it.
 */
export class ZoneMaker {
  readonly records: ResourceRecord[] = [];
  /** "lab-3.test": every name of the zone is under it. */
  readonly domain: string;
  private readonly random: SeededRandom;
  private readonly used = new Set<string>();

  constructor(random: SeededRandom) {
    this.random = random;
    this.domain = `lab-${random.int(1, 99)}.test`;
  }

  /** A label not used before in this zone: four letters and digits, starting with a letter ("k7qf"). */
  label(): string {
    for (;;) {
      let label = this.random.pick([...LETTERS]);
      for (let i = 0; i < 3; i++) label += this.random.pick([...ALPHANUMERIC]);
      if (this.used.has(label)) continue;
      this.used.add(label);
      return label;
    }
  }

  /** A fresh name under the zone's domain: "k7qf.lab-3.test". */
  host(): string {
    return `${this.label()}.${this.domain}`;
  }

  /** Adds records of one name, in an order that is neither byte order nor (where it applies) numeric order. */
  add(name: string, datas: RecordData[]): void {
    for (const data of this.scramble(datas)) this.records.push(record(name, this.random.pick([60, 300, 3600]), data));
  }

  /**
   * Three to four IPv4 addresses, three in one /24 whose last octets are one
   * digit (2-9), two digits starting with 1, and three digits: numeric order
   * and byte order disagree ("10.1.2.14" comes before "10.1.2.7").
   */
  ipv4s(count: 3 | 4): string[] {
    const net = `10.${this.random.int(1, 254)}.${this.random.int(0, 254)}`;
    const last = [this.random.int(2, 9), this.random.int(10, 19), this.random.int(100, 254)];
    const addresses = last.map((octet) => `${net}.${octet}`);
    if (count === 4) addresses.push(`${this.random.pick(["172.16", "192.168", "198.51"])}.${this.random.int(0, 254)}.${this.random.int(1, 254)}`);
    return addresses;
  }

  /** One IPv4 address, for a PTR lookup. */
  ipv4(): string {
    return `10.${this.random.int(1, 254)}.${this.random.int(0, 254)}.${this.random.int(1, 254)}`;
  }

  /**
   * Three IPv6 addresses in 2001:db8::/32, in RFC 5952 form: "…::7" and
   * "…::1c" (byte order puts the second first), and one with a single zero
   * group and a longer run, which only the longest run may shorten
   * ("2001:db8:a3f:0:5::9").
   */
  ipv6s(): string[] {
    const prefix = `2001:db8:${this.random.int(0x100, 0xffff).toString(16)}`;
    const a = this.random.int(2, 9).toString(16);
    const b = this.random.int(0x10, 0x1f).toString(16);
    const c = `0:${this.random.int(1, 0xfff).toString(16)}::${this.random.int(1, 0xff).toString(16)}`;
    return [`${prefix}::${a}`, `${prefix}::${b}`, `${prefix}:${c}`].map((text) => formatIpv6(parseIpv6(text)!));
  }

  /** One IPv6 address in RFC 5952 form, for a PTR lookup. */
  ipv6(): string {
    const groups = [0x2001, 0xdb8, this.random.int(1, 0xffff), 0, 0, this.random.int(0, 0xff), this.random.int(1, 0xffff), this.random.int(1, 0xffff)];
    return formatIpv6(Buffer.from(groups.flatMap((g) => [g >> 8, g & 0xff])));
  }

  /** Three MX preferences: one digit, two digits starting with 1, and 20-90, so "10 ..." sorts before "5 ...". */
  preferences(): number[] {
    return [this.random.int(2, 9), this.random.int(10, 19), this.random.pick([20, 30, 40, 50, 90])];
  }

  /** An SOA record with a date-like serial and five different numbers, so fields in the wrong place show. */
  soa(mname: string, rname: string): RecordData {
    const two = (n: number) => String(n).padStart(2, "0");
    return {
      type: "SOA",
      mname,
      rname,
      serial: Number(`2026${two(this.random.int(1, 12))}${two(this.random.int(1, 28))}${two(this.random.int(1, 99))}`),
      refresh: this.random.pick([3600, 7200, 10800, 14400]),
      retry: this.random.pick([600, 900, 1200, 1800]),
      expire: this.random.pick([604800, 1209600, 2419200]),
      minimum: this.random.pick([60, 120, 300, 86400]),
    };
  }

  /** A base64-looking key, as in a DKIM TXT record. */
  key(length: number): string {
    let key = "";
    for (let i = 0; i < length; i++) key += this.random.pick([...BASE64]);
    return key;
  }

  /** A text cut into `parts` pieces at seeded places, none of them empty, none cut at a space. */
  split(text: string, parts: number): string[] {
    const cuts = new Set<number>();
    while (cuts.size < parts - 1) {
      const at = this.random.int(1, text.length - 1);
      if (text[at] !== " " && text[at - 1] !== " ") cuts.add(at);
    }
    const points = [0, ...[...cuts].sort((x, y) => x - y), text.length];
    return points.slice(1).map((end, i) => text.slice(points[i], end));
  }

  /** The name a PTR lookup of `address` asks about. */
  reverse(address: string): string {
    return reverseName(address);
  }

  pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  int(min: number, max: number): number {
    return this.random.int(min, max);
  }

  private scramble(datas: RecordData[]): RecordData[] {
    if (datas.length < 3) return datas;
    const sorted = byteOrder(datas.map(recordLine));
    const keys = datas.map(numericKey);
    const numeric = keys.every((k) => k !== undefined) ? [...datas].sort((x, y) => compareKeys(numericKey(x)!, numericKey(y)!)).map(recordLine) : undefined;
    const same = (a: string[], b: string[] | undefined) => b !== undefined && a.every((line, i) => line === b[i]);
    for (let attempt = 0; attempt < 100; attempt++) {
      const order = this.random.shuffle([...datas]);
      const lines = order.map(recordLine);
      if (!same(lines, sorted) && !same(lines, numeric) && !same(lines, numeric && [...numeric].reverse())) return order;
    }
    return datas;
  }
}
