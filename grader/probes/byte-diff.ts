import { countBytes, quoteBytes } from "./format-bytes.ts";

/** Index of the first byte where the two differ, or -1 when they are equal. */
export function firstDifference(expected: Buffer, got: Buffer): number {
  const shorter = Math.min(expected.length, got.length);
  for (let i = 0; i < shorter; i++) if (expected[i] !== got[i]) return i;
  return expected.length === got.length ? -1 : shorter;
}

/**
 * Explains where a reply went wrong: "first difference at byte 22: expected
 * "\n" (0x0a), got the end of the data". Around a difference deep inside a
 * large payload it shows a few bytes of context from both sides.
 */
export function describeDifference(expected: Buffer, got: Buffer): string | undefined {
  const at = firstDifference(expected, got);
  if (at < 0) return undefined;
  const show = (b: Buffer) => (at < b.length ? `${quoteBytes(b.subarray(at, at + 1))} (0x${b[at]!.toString(16).padStart(2, "0")})` : "the end of the data");
  let line = `first difference at byte ${at.toLocaleString("en-US")}: expected ${show(expected)}, got ${show(got)}`;
  if (at > 40) {
    const from = Math.max(0, at - 8);
    line += `\n  around it, expected ${quoteBytes(expected.subarray(from, at + 8), 60)}, got ${quoteBytes(got.subarray(from, at + 8), 60)} (from byte ${from.toLocaleString("en-US")})`;
  }
  if (got.length !== expected.length) line += `\n  lengths: expected ${countBytes(expected.length)}, got ${countBytes(got.length)}`;
  return line;
}
