import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";
import Token from "markdown-it/lib/token.mjs";
import { describe, expect, it } from "vitest";
import {
  createLessonParser,
  renderMarkdownForTerminal,
  renderTokensForTerminal,
} from "../../grader/lesson/render-terminal.ts";
import { stripAnsi, visibleWidth } from "../../grader/lesson/visible-width.ts";

const plain = (markdown: string, width = 80): string => renderMarkdownForTerminal(markdown, { width, color: false });
const colored = (markdown: string, width = 80): string => renderMarkdownForTerminal(markdown, { width, color: true });
const lines = (output: string): string[] => output.replace(/\n$/, "").split("\n");
const widest = (output: string): number => Math.max(...lines(output).map(visibleWidth));

const LOREM =
  "Sockets are *endpoints* of a **two-way** connection; `socket.write(chunk)` queues bytes, " +
  "and the kernel sends them when it can, in [segments](https://x.dev/tcp) " +
  "whose boundaries the reader never sees. Read until the delimiter, not until the chunk ends.";

describe("visibleWidth", () => {
  it("counts columns, not code units", () => {
    expect(visibleWidth("abc")).toBe(3);
    expect(visibleWidth("日本")).toBe(4);
    expect(visibleWidth("😀")).toBe(2);
    expect(visibleWidth("❤️")).toBe(2);
    expect(visibleWidth("👨‍👩‍👧")).toBe(2);
    expect(visibleWidth("e\u0301")).toBe(1);
    expect(visibleWidth("\x1b[1;36mab\x1b[0m")).toBe(2);
  });
});

describe("renderMarkdownForTerminal without colour", () => {
  it("underlines h1 with = and h2 with -, leaves h3 plain", () => {
    expect(plain("# Title")).toBe("Title\n=====\n");
    expect(plain("## Sub")).toBe("Sub\n---\n");
    expect(plain("### Small")).toBe("Small\n");
  });

  it("separates blocks by one blank line and ends with a single newline", () => {
    expect(plain("# A\n\n\n\npara one\n\npara two\n\n\n")).toBe("A\n=\n\npara one\n\npara two\n");
    expect(plain("")).toBe("\n");
  });

  it("word-wraps paragraphs to the width", () => {
    expect(plain("one two three four five", 10)).toBe("one two\nthree four\nfive\n");
  });

  it("keeps no wrapped line wider than the width", () => {
    for (let width = 24; width <= 80; width += 7) {
      expect(widest(plain(LOREM, width))).toBeLessThanOrEqual(width);
      expect(widest(colored(LOREM, width))).toBeLessThanOrEqual(width);
    }
  });

  it("lets a word longer than the width overflow on its own line", () => {
    expect(plain("a abcdefghijkl b", 5)).toBe("a\nabcdefghijkl\nb\n");
  });

  it("prints emphasis as plain text and keeps strikethrough visible", () => {
    expect(plain("*a* **b** ***c*** ~~d~~")).toBe("a b c ~~d~~\n");
  });

  it("wraps inline code in backticks and does not break inside it", () => {
    expect(plain("use `x y`")).toBe("use `x y`\n");
    expect(plain("aaaa `b c d` e", 8)).toBe("aaaa\n`b c d`\ne\n");
  });

  it("shows a link's target unless the text is the target", () => {
    expect(plain("[docs](https://x.dev)")).toBe("docs (https://x.dev)\n");
    expect(plain("<https://x.dev>")).toBe("https://x.dev\n");
    expect(plain("[https://x.dev](https://x.dev)")).toBe("https://x.dev\n");
    expect(plain("<me@x.dev>")).toBe("me@x.dev\n");
  });

  it("describes images by alt text and source", () => {
    expect(plain("![a *cat*](cat.png)")).toBe("[image: a cat] (cat.png)\n");
    expect(plain("![](cat.png)")).toBe("[image] (cat.png)\n");
  });

  it("turns softbreaks into spaces and hardbreaks into new lines", () => {
    expect(plain("a\nb")).toBe("a b\n");
    expect(plain("a  \nb")).toBe("a\nb\n");
    expect(plain("a\\\nb")).toBe("a\nb\n");
  });

  it("prints backslash escapes and entities as their characters", () => {
    expect(plain("\\*not em\\* &amp; &copy; \\`x\\`")).toBe("*not em* & © `x`\n");
  });

  it("renders bullet lists, nested lists with deeper indents and other bullets", () => {
    expect(plain("- a\n- b")).toBe("• a\n• b\n");
    expect(plain("- a\n  - b\n    - c\n- d")).toBe("• a\n  ◦ b\n    ▪ c\n• d\n");
  });

  it("numbers ordered lists from their start, numbers right-aligned", () => {
    expect(plain("3. x\n4. y")).toBe("3. x\n4. y\n");
    expect(plain("9. nine\n10. ten")).toBe(" 9. nine\n10. ten\n");
    expect(plain("1) a\n1) b")).toBe("1) a\n2) b\n");
  });

  it("hangs wrapped item text under the item's first character", () => {
    expect(plain("- alpha beta gamma delta", 12)).toBe("• alpha beta\n  gamma\n  delta\n");
    expect(plain("1. one two\n   - three four", 9)).toBe("1. one\n   two\n   ◦ three\n     four\n");
  });

  it("separates loose list items and multi-paragraph items by blank lines", () => {
    expect(plain("1. first para\n\n   second para\n2. next")).toBe("1. first para\n\n   second para\n\n2. next\n");
    expect(plain("-\n- b")).toBe("•\n• b\n");
  });

  it("prefixes every line of a blockquote with a bar, nested ones too", () => {
    expect(plain("> a\n>\n> b")).toBe("│ a\n│\n│ b\n");
    expect(plain("> a\n>\n> > b")).toBe("│ a\n│\n│ │ b\n");
    expect(plain("> one two three", 9)).toBe("│ one two\n│ three\n");
  });

  it("renders a blockquote holding a list and code", () => {
    const markdown = "> Note:\n> - first\n> - second\n>\n> ```sh\n> nc localhost 7000\n> ```";
    expect(plain(markdown)).toBe(
      ["│ Note:", "│", "│ • first", "│ • second", "│", "│   ┌─ sh", "│   │ nc localhost 7000", ""].join("\n"),
    );
  });

  it("draws a horizontal rule across the width", () => {
    expect(plain("***", 10)).toBe("──────────\n");
  });

  it("puts code blocks behind a gutter, under their language, unwrapped", () => {
    expect(plain("```ts title=x\nconst a = 1;\n\nlet b;\n```")).toBe("  ┌─ ts\n  │ const a = 1;\n  │\n  │ let b;\n");
    expect(plain("    indented\n    code")).toBe("  │ indented\n  │ code\n");
    const long = "x".repeat(50);
    expect(plain(`\`\`\`\n${long}\n\`\`\``, 20)).toBe(`  │ ${long}\n`);
    expect(plain("```\na\tb\n```")).toBe("  │ a   b\n");
  });

  it("renders a code block inside a list item with the item's indent", () => {
    expect(plain("- run:\n\n  ```\n  npm test\n  ```")).toBe("• run:\n\n    │ npm test\n");
  });

  it("prints HTML as-is (as text with the lesson parser, as HTML tokens otherwise)", () => {
    expect(plain("<div>\nhi\n</div>")).toBe("<div> hi </div>\n");
    const htmlParser = new MarkdownIt({ html: true });
    const render = (markdown: string, color: boolean): string =>
      renderTokensForTerminal(htmlParser.parse(markdown, {}), { width: 80, color });
    expect(render("<div>\n  hi\n</div>\n\na <b>x</b>", false)).toBe("<div>\n  hi\n</div>\n\na <b>x</b>\n");
    expect(render("<div>\n</div>\n\na <b>x</b>", true)).toBe(
      "\x1b[2m<div>\x1b[0m\n\x1b[2m</div>\x1b[0m\n\na \x1b[2m<b>\x1b[0mx\x1b[2m</b>\x1b[0m\n",
    );
  });

  it("draws a table with borders and widths from its content", () => {
    expect(plain("| a | b |\n|---|---|\n| xx | `y` |")).toBe(
      ["┌────┬─────┐", "│ a  │ b   │", "├────┼─────┤", "│ xx │ `y` │", "└────┴─────┘", ""].join("\n"),
    );
  });

  it("aligns table columns as their markers say", () => {
    expect(plain("| left | center | right |\n|:-----|:------:|------:|\n| a | b | **c** |")).toBe(
      [
        "┌──────┬────────┬───────┐",
        "│ left │ center │ right │",
        "├──────┼────────┼───────┤",
        "│ a    │   b    │     c │",
        "└──────┴────────┴───────┘",
        "",
      ].join("\n"),
    );
  });

  it("wraps cells of a table wider than the width, keeping every line inside it", () => {
    const table = [
      "| Call | What it does | Returns |",
      "|:-----|:-------------|--------:|",
      "| `server.listen(port)` | starts accepting connections on the given port | `Server` |",
      "| `server.close()` | stops accepting; see https://nodejs.org/api/net.html#serverclosecallback | `Server` |",
    ].join("\n");
    for (const width of [30, 40, 50, 60]) {
      const output = plain(table, width);
      expect(widest(output)).toBeLessThanOrEqual(width);
      expect(widest(colored(table, width))).toBeLessThanOrEqual(width);
      expect(squeeze(columnText(output, 1))).toBe("Call`server.listen(port)``server.close()`");
      expect(squeeze(columnText(output, 2))).toContain("startsacceptingconnectionsonthegivenport");
    }
    expect(plain(table, 40)).toBe(
      [
        "┌─────────────┬─────────────┬──────────┐",
        "│ Call        │ What it     │  Returns │",
        "│             │ does        │          │",
        "├─────────────┼─────────────┼──────────┤",
        "│ `server.lis │ starts      │ `Server` │",
        "│ ten(port)`  │ accepting   │          │",
        "│             │ connections │          │",
        "│             │ on the      │          │",
        "│             │ given port  │          │",
        "├─────────────┼─────────────┼──────────┤",
        "│ `server.clo │ stops       │ `Server` │",
        "│ se()`       │ accepting;  │          │",
        "│             │ see         │          │",
        "│             │ https://nod │          │",
        "│             │ ejs.org/api │          │",
        "│             │ /net.html#s │          │",
        "│             │ erverclosec │          │",
        "│             │ allback     │          │",
        "└─────────────┴─────────────┴──────────┘",
        "",
      ].join("\n"),
    );
  });

  it("measures wide characters in tables", () => {
    expect(plain("| 名前 | x |\n|---|---|\n| 😀 | é |")).toBe(
      ["┌──────┬───┐", "│ 名前 │ x │", "├──────┼───┤", "│ 😀   │ é │", "└──────┴───┘", ""].join("\n"),
    );
  });

  it("shows control characters instead of sending them to the terminal", () => {
    const output = plain("a\x1b[31mb\n\n```\n\x1b[2J\n```");
    expect(output).not.toContain("\x1b");
    expect(output).toContain("␛[31m");
  });

  it("falls back to the content of tokens it does not know", () => {
    const tokens = createLessonParser().parse("known", {});
    const mystery = new Token("mystery_block", "", 0);
    mystery.content = "block content\n";
    const inline = tokens.find((token) => token.type === "inline");
    const strange = new Token("strange_inline", "", 0);
    strange.content = " and inline content";
    inline?.children?.push(strange);
    tokens.push(mystery);
    expect(renderTokensForTerminal(tokens, { width: 80, color: false })).toBe(
      "known and inline content\n\nblock content\n",
    );
  });
});

describe("renderMarkdownForTerminal with colour", () => {
  const sample = [
    "# Title `net`",
    "",
    "## Section",
    "",
    "Some *em* and **strong** and ~~gone~~ and `code` and [a link](https://x.dev).",
    "",
    "- item",
    "",
    "> quoted",
    "",
    "| h |",
    "|---|",
    "| c |",
    "",
    "```js",
    "let x;",
    "```",
  ].join("\n");

  it("uses escapes, and keeps the text when they are removed", () => {
    const output = colored(sample);
    expect(output).toContain("\x1b[");
    const text = stripAnsi(output);
    for (const word of ["Title", "net", "Section", "em", "strong", "gone", "code", "a link (https://x.dev)", "item", "quoted", "let x;"]) {
      expect(text).toContain(word);
    }
    expect(text).not.toContain("`code`");
    expect(text).not.toContain("~~");
  });

  it("styles each construct with its SGR codes", () => {
    const output = colored(sample);
    expect(output).toContain("\x1b[1;4mTitle \x1b[0m\x1b[1;4;36mnet\x1b[0m\n\x1b[2m━━━━━━━━━\x1b[0m");
    expect(output).toContain("\x1b[1mSection\x1b[0m\n\n");
    expect(output).toContain("\x1b[3mem\x1b[0m");
    expect(output).toContain("\x1b[1mstrong\x1b[0m");
    expect(output).toContain("\x1b[9mgone\x1b[0m");
    expect(output).toContain("\x1b[36mcode\x1b[0m");
    expect(output).toContain("\x1b[2m  │\x1b[0m let x;");
    expect(output).toContain("\x1b[2m  ┌─ js\x1b[0m");
  });

  it("emits no escape at all without colour", () => {
    expect(plain(sample)).not.toMatch(/\x1b/);
  });
});

describe("the course's lessons", () => {
  const lessonsDir = fileURLToPath(new URL("../../lessons/", import.meta.url));
  const lessonFiles = listMarkdown(lessonsDir);

  it.skipIf(lessonFiles.length === 0)("render within 80 and 40 columns, in colour and without", () => {
    for (const file of lessonFiles) {
      const markdown = readFileSync(lessonsDir + file, "utf8");
      const exempt = rawBlockLines(markdown);
      for (const width of [80, 40]) {
        for (const color of [false, true]) {
          const output = renderMarkdownForTerminal(markdown, { width, color });
          const where = `${file} at width ${width}${color ? " in colour" : ""}`;
          expect(output.endsWith("\n") && !output.endsWith("\n\n"), where).toBe(true);
          if (!color) expect(output, where).not.toContain("\x1b");
          const tooWide = lines(output).filter((line) => visibleWidth(line) > width && !overflowIsAllowed(line, exempt));
          expect(tooWide, where).toEqual([]);
        }
      }
    }
  });
});

function listMarkdown(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith(".md")).sort();
  } catch {
    return [];
  }
}

/** Lines of code and HTML blocks, which are printed unwrapped, whitespace squeezed out. */
function rawBlockLines(markdown: string): string[] {
  return createLessonParser()
    .parse(markdown, {})
    .filter((token) => ["fence", "code_block", "html_block"].includes(token.type))
    .flatMap((token) => token.content.split("\n"))
    .map(squeeze)
    .filter((line) => line !== "");
}

/** A code line, or a single word too long for any line (a URL), may overflow. */
function overflowIsAllowed(line: string, rawLines: readonly string[]): boolean {
  const text = stripAnsi(line);
  if (rawLines.some((raw) => squeeze(text).endsWith(raw))) return true;
  return /^[\s│•◦▪\d.)]*\S+$/.test(text);
}

/** The text of one table column, top to bottom (columns count from 1). */
function columnText(table: string, column: number): string {
  return lines(table)
    .filter((line) => line.startsWith("│"))
    .map((line) => line.split("│")[column] ?? "")
    .join(" ");
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, "");
}

describe("diagrams", () => {
  const markdown = "Before.\n\n![The TCP handshake](images/handshake.svg)\n\nAfter.\n";

  it("draw a paragraph that is only an image as its text form, titled by the alt text", () => {
    const text = " client      server\n   |-- SYN -->|\n";
    const out = renderMarkdownForTerminal(markdown, { width: 60, color: false, imageText: (src) => (src === "images/handshake.svg" ? text : undefined) });
    expect(out).toBe(["Before.", "", "  ┌─ diagram: The TCP handshake", "  │  client      server", "  │    |-- SYN -->|", "", "After.", ""].join("\n"));
  });

  it("fall back to the image's alt text and source without a text form", () => {
    const out = renderMarkdownForTerminal(markdown, { width: 60, color: false, imageText: () => undefined });
    expect(out).toContain("[image: The TCP handshake] (images/handshake.svg)");
  });
});
