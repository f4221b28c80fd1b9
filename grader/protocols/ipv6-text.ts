/**
 * IPv6 addresses as text, the RFC 5952 way: lower case, leading zeros
 * dropped, the longest run of two or more zero groups written "::" (the first
 * such run on a tie), a single zero group left as "0". No mixed notation
 * (::ffff:1.2.3.4): the checks never send IPv4-mapped addresses, whose
 * recommended form varies between libraries.
 */

/** The eight 16-bit groups of a 16-byte address. */
export function groupsOf(address: Buffer): number[] {
  if (address.length !== 16) throw new Error(`an IPv6 address has 16 bytes, not ${address.length}`);
  return Array.from({ length: 8 }, (_, i) => address.readUInt16BE(2 * i));
}

/** The first longest run of two or more zero groups, or undefined when there is none. */
export function longestZeroRun(groups: number[]): { start: number; length: number } | undefined {
  let best: { start: number; length: number } | undefined;
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const length = i - start;
      // Strictly longer: on a tie the earlier run stays.
      if (length >= 2 && length > (best?.length ?? 0)) best = { start, length };
      start = -1;
    }
  }
  return best;
}

/** RFC 5952 text of a 16-byte address: "2001:db8::1". */
export function formatIpv6(address: Buffer): string {
  const groups = groupsOf(address);
  const hex = groups.map((g) => g.toString(16));
  const run = longestZeroRun(groups);
  if (!run) return hex.join(":");
  const head = hex.slice(0, run.start).join(":");
  const tail = hex.slice(run.start + run.length).join(":");
  return `${head}::${tail}`;
}

/** Parses any valid text form ("2001:DB8:0:0::1", "::", "fe80::1") into 16 bytes, or undefined. */
export function parseIpv6(text: string): Buffer | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.includes(":::")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), 2 * i));
  return out;
}

/** 16 bytes from a literal the checks write by hand; throws on a typo. */
export function ipv6(text: string): Buffer {
  const bytes = parseIpv6(text);
  if (!bytes) throw new Error(`not an IPv6 address: ${text}`);
  return bytes;
}

/**
 * Why `got` is not the RFC 5952 form of the same address, in a few words, or
 * undefined when it is another address altogether (or already right).
 */
export function rfc5952Mistake(got: string, address: Buffer): string | undefined {
  const want = formatIpv6(address);
  const parsed = parseIpv6(got);
  if (got === want || !parsed?.equals(address)) return undefined;
  const groups = groupsOf(address);
  const run = longestZeroRun(groups);
  if (got !== got.toLowerCase()) return `${got} has upper-case letters: RFC 5952 writes hex digits in lower case`;
  if (got.split(":").some((g) => g.length > 1 && g.startsWith("0"))) return `${got} keeps leading zeros: write each group without them (0db8 is db8, 0000 is 0)`;
  if (!got.includes("::") && run) return `${got} is not compressed: the run of ${run.length} zero groups must be written "::"`;
  if (got.includes("::") && !run) return `${got} compresses a single zero group: "::" stands only for two or more zero groups, so a lone zero group stays "0"`;
  if (got.includes("::") && run) {
    const gotRun = compressedRun(got);
    const inside = gotRun.start >= run.start && gotRun.start + gotRun.length <= run.start + run.length;
    if (gotRun.length === 1) return `${got} compresses a single zero group: "::" stands only for two or more zero groups`;
    if (inside) return `${got} leaves zero groups beside the "::": it must replace the whole run of ${run.length} zero groups`;
    if (gotRun.length < run.length) return `${got} compresses a shorter run of zero groups: "::" must replace the longest run (${run.length} groups, from group ${run.start + 1})`;
    return `${got} compresses a later run of zero groups: on a tie, "::" replaces the first of the longest runs`;
  }
  return `${got} is the same address written another way: RFC 5952 says ${want}`;
}

/** Which groups a "::" in `text` stands for. */
function compressedRun(text: string): { start: number; length: number } {
  const [head = "", tail = ""] = text.split("::");
  const before = head === "" ? 0 : head.split(":").length;
  const after = tail === "" ? 0 : tail.split(":").length;
  return { start: before, length: 8 - before - after };
}
