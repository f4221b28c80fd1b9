import { showControlCharacters, type Style } from "./ansi.ts";
import type { TokenNode } from "./token-tree.ts";

/** A run of text with one look. An atomic span (inline code, HTML) is never split at its spaces. */
export interface Span {
  text: string;
  styles: readonly Style[];
  atomic: boolean;
}

/** Inline content as spans, one array per line forced by a hard break. */
export type InlineLines = Span[][];

export function renderInline(nodes: readonly TokenNode[], color: boolean, baseStyles: readonly Style[] = []): InlineLines {
  const lines: InlineLines = [[]];
  const emit = (text: string, styles: readonly Style[], atomic = false): void => {
    lines[lines.length - 1]?.push({ text: showControlCharacters(text), styles, atomic });
  };

  const visitAll = (list: readonly TokenNode[], styles: readonly Style[]): void => {
    for (const node of list) visit(node, styles);
  };

  const visit = (node: TokenNode, styles: readonly Style[]): void => {
    const { content } = node.token;
    switch (node.type) {
      case "text":
      case "text_special":
        return emit(content, styles);
      case "softbreak":
        return emit(" ", styles);
      case "hardbreak":
        lines.push([]);
        return;
      case "code_inline":
        return emit(color ? content : `\`${content}\``, [...styles, "code"], true);
      case "em":
        return visitAll(node.children, [...styles, "italic"]);
      case "strong":
        return visitAll(node.children, [...styles, "bold"]);
      case "s":
        if (color) return visitAll(node.children, [...styles, "strike"]);
        // Without colour the tildes are the only sign that the text is struck out.
        emit("~~", styles);
        visitAll(node.children, styles);
        return emit("~~", styles);
      case "link":
        return visitLink(node, styles);
      case "image":
        return visitImage(node, styles);
      case "html_inline":
        return emit(content, [...styles, "dim"], true);
      default:
        if (node.children.length > 0) return visitAll(node.children, styles);
        return emit(content, styles);
    }
  };

  const visitLink = (node: TokenNode, styles: readonly Style[]): void => {
    const href = node.token.attrGet("href") ?? "";
    visitAll(node.children, [...styles, "link"]);
    const textIsTarget = node.token.markup === "autolink" || plainText(node.children) === href;
    if (textIsTarget || href === "") return;
    emit(" ", styles);
    emit(`(${href})`, [...styles, "dim"]);
  };

  const visitImage = (node: TokenNode, styles: readonly Style[]): void => {
    const alt = plainText(node.children);
    emit(alt === "" ? "[image]" : `[image: ${alt}]`, [...styles, "italic"]);
    const src = node.token.attrGet("src") ?? "";
    if (src === "") return;
    emit(" ", styles);
    emit(`(${src})`, [...styles, "dim"]);
  };

  visitAll(nodes, baseStyles);
  return lines;
}

/** The text of inline nodes without any formatting, as an image's alt text is. */
export function plainText(nodes: readonly TokenNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === "softbreak" || node.type === "hardbreak") return " ";
      return node.children.length > 0 ? plainText(node.children) : node.token.content;
    })
    .join("");
}
