/**
 * Just enough DER (the binary ASN.1 encoding X.509 uses) to write a
 * certificate: each function returns one complete element, tag, length and
 * content, so elements nest by concatenation.
 */

/** An element with `tag` around `content`: the length in short form below 128 bytes, long form above. */
export function element(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length = body.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), body]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), body]);
}

export const sequence = (...items: Buffer[]): Buffer => element(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => element(0x31, ...items);
export const boolean = (value: boolean): Buffer => element(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (content: Buffer): Buffer => element(0x04, content);
export const utf8String = (text: string): Buffer => element(0x0c, Buffer.from(text, "utf8"));
/** A context-specific tag that wraps a whole element ([0] EXPLICIT, [3] EXPLICIT). */
export const explicit = (n: number, inner: Buffer): Buffer => element(0xa0 + n, inner);
/** A context-specific primitive that replaces the tag of a string ([2] IMPLICIT IA5String: a dNSName). */
export const implicitString = (n: number, text: string): Buffer => element(0x80 + n, Buffer.from(text, "ascii"));

/** A non-negative INTEGER from its big-endian bytes, trimmed to the shortest DER form. */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = bytes.subarray(start);
  // A set top bit would make it negative: DER puts a zero byte in front.
  return element(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** A BIT STRING holding whole bytes (no unused bits). */
export const bitString = (content: Buffer): Buffer => element(0x03, Buffer.from([0]), content);

/** KeyUsage-style bits: bit 0 is the top bit of the first byte; trailing zero bits are left out, as DER asks. */
export function namedBits(bits: number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  return element(0x03, Buffer.from([7 - (highest % 8)]), bytes);
}

/** An OBJECT IDENTIFIER from its dotted form, "2.5.29.17". */
export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return element(0x06, Buffer.from(bytes));
}

/** UTCTime for years 1950-2049, GeneralizedTime after, as RFC 5280 asks. */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  return date.getUTCFullYear() < 2050 ? element(0x17, Buffer.from(`${digits.slice(2)}Z`)) : element(0x18, Buffer.from(`${digits}Z`));
}
