import { paint } from "./ansi.ts";
import { renderInline, type InlineLines } from "./render-inline.ts";
import type { TokenNode } from "./token-tree.ts";
import { visibleWidth } from "./visible-width.ts";
import { measureInline, wrapInline } from "./wrap-text.ts";

type Align = "left" | "center" | "right";

interface Cell {
  content: InlineLines;
  align: Align;
}

interface Row {
  header: boolean;
  cells: Cell[];
}

/** A GFM table with box-drawing borders, its columns narrowed and wrapped to fit `width`. */
export function renderTable(table: TokenNode, options: { width: number; color: boolean }): string[] {
  const rows = collectRows(table, options.color);
  const columnCount = Math.max(0, ...rows.map((row) => row.cells.length));
  if (columnCount === 0) return [];
  const widths = columnWidths(rows, columnCount, options.width);
  const border = (left: string, middle: string, right: string): string =>
    paint(left + widths.map((w) => "─".repeat(w + 2)).join(middle) + right, ["dim"], options.color);

  const rendered = rows.map((row) => rowLines(row, widths, options.color));
  // Rows of wrapped text would run together without a rule between them.
  const bodyWraps = rows.some((row, index) => !row.header && (rendered[index]?.length ?? 0) > 1);
  const lines = [border("┌", "┬", "┐")];
  rows.forEach((row, index) => {
    const previous = rows[index - 1];
    if (previous && (previous.header !== row.header || bodyWraps)) lines.push(border("├", "┼", "┤"));
    lines.push(...(rendered[index] ?? []));
  });
  lines.push(border("└", "┴", "┘"));
  return lines;
}

function collectRows(table: TokenNode, color: boolean): Row[] {
  const sections = table.children.filter((node) => node.type === "thead" || node.type === "tbody");
  return sections.flatMap((section) =>
    section.children
      .filter((node) => node.type === "tr")
      .map((tr) => ({
        header: section.type === "thead",
        cells: tr.children.map((cell) => ({
          content: renderInline(cell.children, color, cell.type === "th" ? ["bold"] : []),
          align: alignmentOf(cell),
        })),
      })),
  );
}

/** markdown-it turns the `:---:` markers into a `style="text-align:…"` attribute. */
function alignmentOf(cell: TokenNode): Align {
  const match = /text-align:\s*(left|center|right)/.exec(cell.token.attrGet("style") ?? "");
  return (match?.[1] as Align | undefined) ?? "left";
}

function columnWidths(rows: readonly Row[], columnCount: number, width: number): number[] {
  const natural = Array.from({ length: columnCount }, () => 1);
  const longestWord = Array.from({ length: columnCount }, () => 1);
  for (const row of rows) {
    row.cells.forEach((cell, column) => {
      const measured = measureInline(cell.content);
      natural[column] = Math.max(natural[column] ?? 1, measured.natural);
      longestWord[column] = Math.max(longestWord[column] ?? 1, measured.longestWord);
    });
  }
  // Each column costs "│ " before and " " after its text, plus the final "│".
  return fitColumns(natural, longestWord, width - (3 * columnCount + 1));
}

/**
 * Natural widths when they fit. Otherwise columns first grow towards their
 * longest word, then towards their natural width, under a common ceiling: a
 * narrow column gets all it needs and the wide ones share the rest.
 */
function fitColumns(natural: readonly number[], longestWord: readonly number[], available: number): number[] {
  if (sum(natural) <= available) return [...natural];
  const keepingWords = raiseToFit(
    natural.map(() => 1),
    longestWord,
    available,
  );
  return raiseToFit(keepingWords, natural, available);
}

function raiseToFit(floor: readonly number[], target: readonly number[], available: number): number[] {
  const under = (ceiling: number): number[] =>
    floor.map((low, i) => Math.max(low, Math.min(target[i] ?? low, ceiling)));
  let ceiling = Math.max(0, ...target);
  while (ceiling > 0 && sum(under(ceiling)) > available) ceiling--;
  const widths = under(ceiling);
  // The ceiling moves for all columns at once; the few columns it leaves over go one by one.
  let spare = available - sum(widths);
  widths.forEach((width, i) => {
    if (spare > 0 && width < (target[i] ?? width)) {
      widths[i] = width + 1;
      spare--;
    }
  });
  return widths;
}

function rowLines(row: Row, widths: readonly number[], color: boolean): string[] {
  const cellLines = widths.map((width, column) => {
    const cell = row.cells[column];
    return cell ? wrapInline(cell.content, { width, color, breakLongWords: true }) : [];
  });
  const height = Math.max(1, ...cellLines.map((lines) => lines.length));
  const bar = paint("│", ["dim"], color);
  return Array.from({ length: height }, (_, lineIndex) => {
    const texts = widths.map((width, column) =>
      align(cellLines[column]?.[lineIndex] ?? "", width, row.cells[column]?.align ?? "left"),
    );
    return `${bar} ${texts.join(` ${bar} `)} ${bar}`;
  });
}

function align(text: string, width: number, alignment: Align): string {
  const room = Math.max(0, width - visibleWidth(text));
  if (alignment === "right") return " ".repeat(room) + text;
  if (alignment === "center") return " ".repeat(Math.floor(room / 2)) + text + " ".repeat(Math.ceil(room / 2));
  return text + " ".repeat(room);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
