import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import { paint, showControlCharacters, type Style } from "./ansi.ts";
import { renderInline } from "./render-inline.ts";
import { renderTable } from "./render-table.ts";
import { buildTokenTree, type TokenNode } from "./token-tree.ts";
import { visibleWidth } from "./visible-width.ts";
import { wrapInline } from "./wrap-text.ts";

export interface TerminalRenderOptions {
  /** Columns available; paragraphs and tables wrap to it, code blocks do not. */
  width: number;
  /** Use ANSI SGR escapes; without colour the output holds none at all. */
  color: boolean;
  /**
   * The text form of an image, by its src: a diagram drawn as an SVG for
   * GitHub has a plain-text twin for the terminal. Without one, an image
   * shows as "[image: alt] (src)".
   */
  imageText?: (src: string) => string | undefined;
}

interface Context extends TerminalRenderOptions {
  /** How many lists enclose the block, which picks the bullet. */
  listDepth: number;
}

const BULLETS = ["•", "◦", "▪"] as const;

/** The parser lessons are written for: CommonMark plus GFM tables and strikethrough, no raw HTML. */
export function createLessonParser(): MarkdownIt {
  return new MarkdownIt({ html: false, linkify: false });
}

export function renderMarkdownForTerminal(markdown: string, options: TerminalRenderOptions): string {
  return renderTokensForTerminal(createLessonParser().parse(markdown, {}), options);
}

/** Renders a token stream from any markdown-it configuration (HTML tokens included). */
export function renderTokensForTerminal(tokens: readonly Token[], options: TerminalRenderOptions): string {
  const context: Context = { ...options, width: Math.max(1, Math.floor(options.width)), listDepth: 0 };
  const lines = renderBlocks(buildTokenTree(tokens), context, false);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

function renderBlocks(nodes: readonly TokenNode[], context: Context, tight: boolean): string[] {
  const blocks = nodes.map((node) => renderBlock(node, context));
  return joinBlocks(blocks, tight);
}

/** One blank line between blocks, none in a tight list. */
function joinBlocks(blocks: readonly string[][], tight: boolean): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.length === 0) continue;
    if (lines.length > 0 && !tight) lines.push("");
    lines.push(...block);
  }
  return lines;
}

function renderBlock(node: TokenNode, context: Context): string[] {
  switch (node.type) {
    case "paragraph":
    case "inline":
      return renderDiagram(node, context) ?? renderText(node, context);
    case "heading":
      return renderHeading(node, context);
    case "bullet_list":
    case "ordered_list":
      return renderList(node, context);
    case "blockquote":
      return renderBlockquote(node, context);
    case "fence":
    case "code_block":
      return renderCode(node.token, context.color);
    case "html_block":
      return contentLines(node.token.content).map((line) => paint(line, ["dim"], context.color));
    case "hr":
      return [paint("─".repeat(context.width), ["dim"], context.color)];
    case "table":
      return renderTable(node, context);
    default:
      if (node.children.length > 0) return renderBlocks(node.children, context, false);
      return contentLines(node.token.content);
  }
}

function renderText(node: TokenNode, context: Context, styles: readonly Style[] = []): string[] {
  return wrapInline(renderInline(node.children, context.color, styles), context);
}

/** A paragraph that is one image with a text form: that text, drawn like a code block, titled by the alt text. */
function renderDiagram(node: TokenNode, context: Context): string[] | undefined {
  const inline = node.type === "inline" ? node : node.children.find((child) => child.type === "inline");
  const parts = (inline?.token.children ?? []).filter((t) => !(t.type === "text" && t.content.trim() === "") && t.type !== "softbreak");
  const image = parts.length === 1 && parts[0]!.type === "image" ? parts[0]! : undefined;
  const text = image && context.imageText?.(image.attrGet("src") ?? "");
  if (!image || text === undefined) return undefined;
  const fence = { info: `diagram: ${image.content}`, content: text } as Token;
  return renderCode(fence, context.color);
}

function renderHeading(node: TokenNode, context: Context): string[] {
  const level = Number(node.token.tag.slice(1));
  const lines = renderText(node, context, level === 1 ? ["bold", "underline"] : ["bold"]);
  if (level > 2) return lines;
  const ruleWidth = Math.min(context.width, Math.max(...lines.map(visibleWidth)));
  if (context.color) return level === 1 ? [...lines, paint("━".repeat(ruleWidth), ["dim"], true)] : lines;
  return [...lines, (level === 1 ? "=" : "-").repeat(ruleWidth)];
}

function renderList(node: TokenNode, context: Context): string[] {
  const items = node.children.filter((child) => child.type === "list_item");
  const markers = listMarkers(node, items.length, context.listDepth);
  const markerWidth = Math.max(0, ...markers.map(visibleWidth));
  const inner: Context = {
    ...context,
    width: Math.max(1, context.width - markerWidth - 1),
    listDepth: context.listDepth + 1,
  };
  const tight = isTight(items);
  const blocks = items.map((item, index) =>
    hang(renderBlocks(item.children, inner, tight), `${(markers[index] ?? "").padStart(markerWidth)} `),
  );
  return joinBlocks(blocks, tight);
}

function listMarkers(list: TokenNode, count: number, depth: number): string[] {
  if (list.type === "bullet_list") return Array.from({ length: count }, () => BULLETS[depth % BULLETS.length] ?? "•");
  // markdown-it stores `start` as a number despite the string-typed attrs.
  const start = Number(list.token.attrGet("start") ?? 1);
  const delimiter = list.token.markup || ".";
  return Array.from({ length: count }, (_, index) => `${start + index}${delimiter}`);
}

/** markdown-it marks a tight list by hiding the paragraphs of its items. */
function isTight(items: readonly TokenNode[]): boolean {
  return !items.some((item) => item.children.some((child) => child.type === "paragraph" && !child.token.hidden));
}

/** Puts the marker before the first line and indents the rest to match. */
function hang(lines: readonly string[], marker: string): string[] {
  if (lines.length === 0) return [marker.trimEnd()];
  const indent = " ".repeat(visibleWidth(marker));
  return lines.map((line, index) => {
    if (index === 0) return marker + line;
    return line === "" ? "" : indent + line;
  });
}

function renderBlockquote(node: TokenNode, context: Context): string[] {
  const lines = renderBlocks(node.children, { ...context, width: Math.max(1, context.width - 2) }, false);
  const bar = paint("│", ["dim"], context.color);
  return lines.map((line) => (line === "" ? bar : `${bar} ${line}`));
}

/** Code is shown exactly, never wrapped, behind a gutter and under its language. */
function renderCode(token: Pick<Token, "info" | "content">, color: boolean): string[] {
  const info = token.info.trim();
  const language = showControlCharacters(info.startsWith("diagram: ") ? info : (info.split(/\s+/)[0] ?? ""));
  const gutter = paint("  │", ["dim"], color);
  const body = contentLines(token.content).map((line) => {
    const code = expandTabs(line);
    return code === "" ? gutter : `${gutter} ${code}`;
  });
  if (body.length === 0) body.push(gutter);
  return language === "" ? body : [paint(`  ┌─ ${language}`, ["dim"], color), ...body];
}

/** A block's raw content as lines, without its final newline. */
function contentLines(content: string): string[] {
  const text = showControlCharacters(content.replace(/\n$/, ""));
  return text === "" ? [] : text.split("\n");
}

/** Tabs would make the terminal's width differ from ours; tab stops are every 4 columns. */
function expandTabs(line: string): string {
  let expanded = "";
  for (const char of line) expanded += char === "\t" ? " ".repeat(4 - (visibleWidth(expanded) % 4)) : char;
  return expanded;
}
