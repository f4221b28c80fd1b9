import type { Token } from "markdown-it";

/**
 * markdown-it emits a flat stream where `x_open` … `x_close` enclose their
 * content; a tree of those pairs is easier to render recursively.
 */
export interface TokenNode {
  /** The token's type without "_open": "bullet_list", "em", "text", … */
  type: string;
  token: Token;
  /** What an open token encloses, or an inline/image token's own children. */
  children: TokenNode[];
}

export function buildTokenTree(tokens: readonly Token[]): TokenNode[] {
  const root: TokenNode[] = [];
  const open: TokenNode[][] = [root];
  for (const token of tokens) {
    const siblings = open[open.length - 1] ?? root;
    if (token.nesting === 1) {
      const node: TokenNode = { type: token.type.replace(/_open$/, ""), token, children: [] };
      siblings.push(node);
      open.push(node.children);
    } else if (token.nesting === -1) {
      if (open.length > 1) open.pop();
    } else {
      siblings.push({ type: token.type, token, children: buildTokenTree(token.children ?? []) });
    }
  }
  return root;
}
