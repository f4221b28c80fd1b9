/**
 * How many terminal columns text takes. A heuristic, not a full wcwidth:
 * East Asian wide characters and emoji count 2, combining marks and
 * zero-width characters 0, everything else 1. SGR escapes count 0.
 */
const SGR_ESCAPE = /\x1b\[[0-9;]*m/g;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u200b-\u200f\ufe00-\ufe0f]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

export function stripAnsi(text: string): string {
  return text.replace(SGR_ESCAPE, "");
}

/** User-perceived characters, so a base letter and its accents stay together. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function visibleWidth(text: string): number {
  let width = 0;
  for (const grapheme of graphemes(stripAnsi(text))) width += graphemeWidth(grapheme);
  return width;
}

function graphemeWidth(grapheme: string): number {
  const first = String.fromCodePoint(grapheme.codePointAt(0) ?? 0);
  if (ZERO_WIDTH.test(first) || first < " ") return 0;
  if (EMOJI.test(first)) return 2;
  // A text-style pictograph such as "❤" turns into a wide emoji with U+FE0F.
  if (PICTOGRAPHIC.test(first) && grapheme.includes("\ufe0f")) return 2;
  return isWide(first.codePointAt(0) ?? 0) ? 2 : 1;
}

const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, CJK symbols
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff], // supplemental pictographs
  [0x20000, 0x3fffd], // CJK extensions B and later
];

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([low, high]) => codePoint >= low && codePoint <= high);
}
