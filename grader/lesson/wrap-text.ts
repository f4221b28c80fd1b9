import { paint, type Style } from "./ansi.ts";
import type { InlineLines, Span } from "./render-inline.ts";
import { graphemes, visibleWidth } from "./visible-width.ts";

export interface WrapOptions {
  width: number;
  color: boolean;
  /** Cut words wider than `width` (table cells); otherwise they overflow. */
  breakLongWords?: boolean;
}

interface Fragment {
  text: string;
  styles: readonly Style[];
}

/** Text between breakable spaces; it may mix looks, as in "**bold**text". */
interface Word {
  fragments: Fragment[];
  width: number;
  /** The look of the space before the word, so underlines and strikes run on. */
  spaceStyles: readonly Style[];
}

/** Word-wraps inline content to lines no wider than `width` (long words aside). */
export function wrapInline(lines: InlineLines, options: WrapOptions): string[] {
  return lines.flatMap((spans) => wrapSpans(spans, options));
}

/** The widest a cell would be unwrapped, and the widest it can shrink to without cutting a word. */
export function measureInline(lines: InlineLines): { natural: number; longestWord: number } {
  const words = lines.map((spans) => splitWords(spans));
  const natural = Math.max(0, ...words.map((line) => line.reduce((sum, word, i) => sum + word.width + (i > 0 ? 1 : 0), 0)));
  const longestWord = Math.max(0, ...words.flat().map((word) => word.width));
  return { natural, longestWord };
}

function wrapSpans(spans: readonly Span[], options: WrapOptions): string[] {
  let words = splitWords(spans, options.width);
  if (options.breakLongWords) words = words.flatMap((word) => cutWord(word, options.width));
  return layOut(words, options.width).map((line) => paintLine(line, options.color));
}

/** Atomic spans stay whole unless they are wider than a line, where breaking at their spaces is the lesser evil. */
function splitWords(spans: readonly Span[], width = Infinity): Word[] {
  const words: Word[] = [];
  let current: Word | undefined;
  let spaceStyles: readonly Style[] = [];
  for (const [index, span] of spans.entries()) {
    // What follows without a space ("`code`.") sits on the same line: it counts too.
    const attached = visibleWidth(/^[^ \t\n]*/.exec(spans[index + 1]?.text ?? "")?.[0] ?? "");
    const keepWhole = span.atomic && visibleWidth(span.text) + attached <= width;
    // With a capturing group, split() puts the whitespace at the odd indexes.
    const parts = keepWhole ? [span.text] : span.text.split(/([ \t\n]+)/);
    parts.forEach((part, index) => {
      if (index % 2 === 1) {
        current = undefined;
        spaceStyles = span.styles;
        return;
      }
      if (part === "") return;
      if (!current) {
        current = { fragments: [], width: 0, spaceStyles };
        words.push(current);
      }
      current.fragments.push({ text: part, styles: span.styles });
      current.width += visibleWidth(part);
    });
  }
  return words;
}

function layOut(words: readonly Word[], width: number): Fragment[][] {
  const lines: Fragment[][] = [];
  let line: Fragment[] = [];
  let lineWidth = 0;
  for (const word of words) {
    if (line.length > 0 && lineWidth + 1 + word.width > width) {
      lines.push(line);
      line = [];
      lineWidth = 0;
    }
    if (line.length > 0) {
      line.push({ text: " ", styles: word.spaceStyles });
      lineWidth += 1;
    }
    line.push(...word.fragments);
    lineWidth += word.width;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** Splits a word into pieces of at most `width` columns, between user-perceived characters. */
function cutWord(word: Word, width: number): Word[] {
  if (word.width <= width) return [word];
  const pieces: Word[] = [];
  let piece: Word = { fragments: [], width: 0, spaceStyles: word.spaceStyles };
  for (const fragment of word.fragments) {
    for (const grapheme of graphemes(fragment.text)) {
      const graphemeWidth = visibleWidth(grapheme);
      if (piece.width > 0 && piece.width + graphemeWidth > width) {
        pieces.push(piece);
        piece = { fragments: [], width: 0, spaceStyles: [] };
      }
      appendText(piece, grapheme, fragment.styles);
      piece.width += graphemeWidth;
    }
  }
  pieces.push(piece);
  return pieces;
}

function appendText(word: Word, text: string, styles: readonly Style[]): void {
  const last = word.fragments[word.fragments.length - 1];
  if (last && last.styles === styles) last.text += text;
  else word.fragments.push({ text, styles });
}

/** Paints a line, merging neighbours with the same look to keep escapes few. */
function paintLine(line: readonly Fragment[], color: boolean): string {
  const merged: Fragment[] = [];
  for (const fragment of line) {
    const last = merged[merged.length - 1];
    if (last && sameStyles(last.styles, fragment.styles)) last.text += fragment.text;
    else merged.push({ ...fragment });
  }
  return merged.map((fragment) => paint(fragment.text, fragment.styles, color)).join("");
}

function sameStyles(a: readonly Style[], b: readonly Style[]): boolean {
  return a.length === b.length && a.every((style) => b.includes(style));
}
